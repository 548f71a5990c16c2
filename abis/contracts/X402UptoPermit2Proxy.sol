// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISignatureTransfer, X402BasePermit2Proxy} from "./X402BasePermit2Proxy.sol";

/// @title x402UptoPermit2Proxy
/// @notice x402's `upto` proxy: the payer signs a Permit2 witness transfer of at most `permit.permitted.amount` to
/// `witness.to`, and only `witness.facilitator` may settle it, for any `amount` up to that maximum. The ABI, witness
/// type string and checks are x402's (`contracts/evm/src/x402UptoPermit2Proxy.sol`); the code is Settlescan's, for the
/// devnet, which installs it at `0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002`. Named as x402 names it, so that the ABI's
/// `internalType`s match those x402's EVM npm package ships.
contract x402UptoPermit2Proxy is X402BasePermit2Proxy {
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)";
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,address facilitator,uint256 validAfter)");

    error UnauthorizedFacilitator();
    error AmountExceedsPermitted();

    struct Witness {
        address to;
        address facilitator;
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
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _checkCaller(permit, amount, witness);
        _settleUpto(permit, amount, owner, witness, signature);
        emit Settled();
    }

    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _checkCaller(permit, amount, witness);
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
        _settleUpto(permit, amount, owner, witness, signature);
        emit SettledWithPermit();
    }

    /// @dev Only the facilitator the payer named picks the amount, and never above the signed maximum.
    function _checkCaller(ISignatureTransfer.PermitTransferFrom calldata permit, uint256 amount, Witness calldata witness)
        private
        view
    {
        if (amount > permit.permitted.amount) revert AmountExceedsPermitted();
        if (msg.sender != witness.facilitator) revert UnauthorizedFacilitator();
    }

    function _settleUpto(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        bytes32 witnessHash = keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.facilitator, witness.validAfter));
        _settle(permit, amount, owner, witness.to, witness.validAfter, witnessHash, WITNESS_TYPE_STRING, signature);
    }
}
