// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DevnetTeeRegistry
/// @notice Public keys of the TEE enclaves whose settlement proofs the verification chain accepts.
/// It does not check that `keccak256(publicKey) == teeId`: Settlescan's indexer checks that, and the devnet must be
/// able to register a mismatching key to exercise the check.
contract DevnetTeeRegistry {
    enum Status {
        Unknown,
        Active,
        Revoked
    }

    address public immutable owner;
    mapping(bytes32 => bytes) private publicKeys;
    mapping(bytes32 => Status) private statuses;

    event TeeRegistered(bytes32 indexed teeId, bytes publicKey);
    event TeeRevoked(bytes32 indexed teeId);

    modifier onlyOwner() {
        require(msg.sender == owner, "TeeRegistry: caller is not the owner");
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    function registerTee(bytes32 teeId, bytes calldata publicKey) external onlyOwner {
        require(publicKey.length > 0, "TeeRegistry: public key is empty");
        require(statuses[teeId] != Status.Revoked, "TeeRegistry: TEE was revoked");
        require(statuses[teeId] == Status.Unknown, "TeeRegistry: TEE is already registered");
        statuses[teeId] = Status.Active;
        publicKeys[teeId] = publicKey;
        emit TeeRegistered(teeId, publicKey);
    }

    function revokeTee(bytes32 teeId) external onlyOwner {
        require(statuses[teeId] == Status.Active, "TeeRegistry: TEE is not active");
        statuses[teeId] = Status.Revoked;
        emit TeeRevoked(teeId);
    }

    function publicKeyOf(bytes32 teeId) external view returns (bytes memory) {
        return publicKeys[teeId];
    }

    function isActive(bytes32 teeId) external view returns (bool) {
        return statuses[teeId] == Status.Active;
    }
}
