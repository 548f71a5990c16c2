// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "./AccessControl.sol";

/// @title RelayAccess
/// @notice What every OpenGradient settlement relay shares: AccessControl with `SETTLEMENT_RELAY_ROLE`, an owner with the
/// external ABI of OpenZeppelin's Ownable (v5), and the Merkle proof check behind `verifyProof`. The deployer becomes
/// owner, admin and relay.
/// @dev Abstract: the build writes no ABI for this file. The owner gates nothing in the relays, as in the real ones.
abstract contract RelayAccess is AccessControl {
    bytes32 public constant SETTLEMENT_RELAY_ROLE = keccak256("SETTLEMENT_RELAY_ROLE");

    address private currentOwner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error OwnableUnauthorizedAccount(address account);
    error OwnableInvalidOwner(address owner);

    modifier onlyOwner() {
        if (msg.sender != currentOwner) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    // Same event order as the real relays: ownership first, then the admin and relay roles.
    constructor() {
        _transferOwnership(msg.sender);
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(SETTLEMENT_RELAY_ROLE, msg.sender);
    }

    function owner() public view returns (address) {
        return currentOwner;
    }

    function transferOwnership(address newOwner) public onlyOwner {
        if (newOwner == address(0)) revert OwnableInvalidOwner(address(0));
        _transferOwnership(newOwner);
    }

    function renounceOwnership() public onlyOwner {
        _transferOwnership(address(0));
    }

    function _transferOwnership(address newOwner) private {
        emit OwnershipTransferred(currentOwner, newOwner);
        currentOwner = newOwner;
    }

    /// @notice OpenZeppelin `MerkleProof.verify`: folds `proof` into `leaf` hashing each pair in sorted order, and
    /// compares the result with `root`.
    function _verifyProof(bytes32[] calldata proof, bytes32 root, bytes32 leaf) internal pure returns (bool) {
        bytes32 node = leaf;
        for (uint256 i = 0; i < proof.length; i++) {
            bytes32 sibling = proof[i];
            node = node < sibling ? _hashPair(node, sibling) : _hashPair(sibling, node);
        }
        return node == root;
    }

    function _hashPair(bytes32 a, bytes32 b) private pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            hash := keccak256(0x00, 0x40)
        }
    }
}
