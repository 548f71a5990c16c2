// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RelayAccess} from "./RelayAccess.sol";

/// @title SettlementRelayV1
/// @notice OpenGradient's legacy settlement relay (in use until 2026-02): hashes or a bare Merkle root, no blob id.
/// Only accounts with `SETTLEMENT_RELAY_ROLE` post.
contract SettlementRelayV1 is RelayAccess {
    event Settlement(bytes32 indexed inputHash, bytes32 indexed outputHash);
    event BatchSettlement(bytes32 indexed merkleRoot, uint256 batchSize);
    event SettlementWithMetadata(
        bytes32 indexed inputHash, bytes32 indexed outputHash, string modelInfo, bytes inputData, bytes outputData
    );

    function settle(bytes32 _inputHash, bytes32 _outputHash) external onlyRole(SETTLEMENT_RELAY_ROLE) {
        emit Settlement(_inputHash, _outputHash);
    }

    function batchSettle(bytes32 _merkleRoot, uint256 _batchSize) external onlyRole(SETTLEMENT_RELAY_ROLE) {
        emit BatchSettlement(_merkleRoot, _batchSize);
    }

    function settleWithMetadata(
        bytes32 _inputHash,
        bytes32 _outputHash,
        string calldata _modelInfo,
        bytes calldata _inputData,
        bytes calldata _outputData
    ) external onlyRole(SETTLEMENT_RELAY_ROLE) {
        emit SettlementWithMetadata(_inputHash, _outputHash, _modelInfo, _inputData, _outputData);
    }

    function verifyProof(bytes32[] calldata _proof, bytes32 _root, bytes32 _leaf) external pure returns (bool) {
        return _verifyProof(_proof, _root, _leaf);
    }
}
