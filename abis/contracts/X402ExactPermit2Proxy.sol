// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISignatureTransfer, X402BasePermit2Proxy} from "./X402BasePermit2Proxy.sol";

/// @title x402ExactPermit2Proxy
/// @notice x402's `exact` proxy over Permit2: always transfers the whole `permit.permitted.amount` to `witness.to`, and
/// anyone may submit it. The ABI, witness type string and checks are x402's
/// (`contracts/evm/src/x402ExactPermit2Proxy.sol`); the code is Settlescan's, for the devnet, which installs it at
/// `0x402085c248EeA27D92E8b30b2C58ed07f9E20001`. Named as x402 names it, so that the ABI's `internalType`s match those
/// x402's EVM npm package ships.
contract x402ExactPermit2Proxy is X402BasePermit2Proxy {
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)";
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,uint256 validAfter)");

    /// @dev Raised (in the base, as assembly) when `permit.permitted.amount` is zero; declared for the ABI.
    error InvalidAmount();

    struct Witness {
        address to;
        uint256 validAfter;
    }

    struct EIP2612Permit {
        uint256 value;
        uint256 deadline;
        bytes32 r;
        bytes32 s;
        uint8 v;
    }

    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settleExact(permit, owner, witness, signature);
        emit Settled();
    }

    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _executePermit(
            permit.permitted.token,
            owner,
            permit2612.value,
            permit2612.deadline,
            permit2612.v,
            permit2612.r,
            permit2612.s,
            permit.permitted.amount
        );
        _settleExact(permit, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settleExact(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        bytes32 witnessHash = keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.validAfter));
        _settle(
            permit,
            permit.permitted.amount,
            owner,
            witness.to,
            witness.validAfter,
            witnessHash,
            WITNESS_TYPE_STRING,
            signature
        );
    }
}
