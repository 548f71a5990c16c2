// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RelayAccess} from "./RelayAccess.sol";

/// @notice What the v3 relay asks of its settlement contract (OpenGradient's TEEInferenceVerifier answers it).
interface ISettlementContract {
    function verifySignature(
        bytes32 teeId,
        bytes32 inputHash,
        bytes32 outputHash,
        uint256 timestamp,
        bytes calldata signature
    ) external view returns (bool);
}

/// @title SettlementRelayV3
/// @notice OpenGradient's settlement relay as deployed since 2026-02-26 (0xf1dc0d5Dcf2A01924faC78185B9227CF3EC839A5):
/// the v2 events and functions, an individual settlement's TEE signature checked by `SETTLEMENT_CONTRACT`, and
/// **no access control on either write**: anyone can post, so only posts from known signers are official. The role
/// machinery is still there, unused, as in the deployed contract.
contract SettlementRelayV3 is RelayAccess {
    ISettlementContract public SETTLEMENT_CONTRACT;

    event BatchSettlement(bytes32 indexed merkleRoot, uint256 batchSize, bytes walrusBlobId);
    event IndividualSettlement(
        bytes32 indexed teeId,
        address indexed ethAddress,
        bytes32 inputHash,
        bytes32 outputHash,
        uint256 timestamp,
        bytes walrusBlobId,
        bytes signature
    );

    constructor(address _settlement_contract) {
        SETTLEMENT_CONTRACT = ISettlementContract(_settlement_contract);
    }

    function batchSettle(bytes32 _merkleRoot, uint256 _batchSize, bytes calldata _walrusBlobId) external {
        emit BatchSettlement(_merkleRoot, _batchSize, _walrusBlobId);
    }

    function settleIndividual(
        bytes32 _teeId,
        bytes32 _inputHash,
        bytes32 _outputHash,
        uint256 _timestamp,
        address _ethAddress,
        bytes calldata _walrusBlobId,
        bytes calldata _signature
    ) external {
        require(
            SETTLEMENT_CONTRACT.verifySignature(_teeId, _inputHash, _outputHash, _timestamp, _signature),
            "Invalid signature"
        );
        emit IndividualSettlement(
            _teeId, _ethAddress, _inputHash, _outputHash, _timestamp, _walrusBlobId, _signature
        );
    }

    function verifyProof(bytes32[] calldata _proof, bytes32 _root, bytes32 _leaf) external pure returns (bool) {
        return _verifyProof(_proof, _root, _leaf);
    }
}
