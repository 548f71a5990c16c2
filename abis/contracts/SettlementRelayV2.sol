// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RelayAccess} from "./RelayAccess.sol";

/// @title SettlementRelayV2
/// @notice OpenGradient's settlement relay of 2026-02-20: a batch names its Walrus blob (the leaves travel only
/// there), an individual settlement carries its leaf in the event. Only accounts with `SETTLEMENT_RELAY_ROLE` post;
/// nothing is verified on chain.
contract SettlementRelayV2 is RelayAccess {
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

    function batchSettle(bytes32 _merkleRoot, uint256 _batchSize, bytes calldata _walrusBlobId)
        external
        onlyRole(SETTLEMENT_RELAY_ROLE)
    {
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
    ) external onlyRole(SETTLEMENT_RELAY_ROLE) {
        emit IndividualSettlement(
            _teeId, _ethAddress, _inputHash, _outputHash, _timestamp, _walrusBlobId, _signature
        );
    }

    function verifyProof(bytes32[] calldata _proof, bytes32 _root, bytes32 _leaf) external pure returns (bool) {
        return _verifyProof(_proof, _root, _leaf);
    }
}
