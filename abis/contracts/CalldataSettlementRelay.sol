// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CalldataSettlementRelay
/// @notice Posts TEE settlement proofs with OpenGradient's event shapes. Leaves travel in calldata so the indexer can
/// decode them from the transaction input; the relay verifies nothing (the indexer does), so the devnet can post a
/// wrong root or a mismatching leaf.
contract CalldataSettlementRelay {
    struct Leaf {
        bytes32 paymentId;
        uint256 amount;
        bytes32 teeId;
        bytes32 inputHash;
        bytes32 outputHash;
        bytes signature;
        uint256 timestamp;
    }

    address public immutable owner;
    mapping(address => bool) public isFacilitator;

    event IndividualSettlement(
        bytes32 indexed teeId,
        address indexed ethAddress,
        bytes32 inputHash,
        bytes32 outputHash,
        uint256 timestamp,
        bytes walrusBlobId,
        bytes signature
    );
    event BatchSettlement(bytes32 indexed merkleRoot, uint256 batchSize, bytes walrusBlobId);
    event FacilitatorSet(address indexed facilitator, bool allowed);

    modifier onlyFacilitator() {
        require(isFacilitator[msg.sender], "SettlementRelay: caller is not a facilitator");
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    function setFacilitator(address facilitator, bool allowed) external {
        require(msg.sender == owner, "SettlementRelay: caller is not the owner");
        isFacilitator[facilitator] = allowed;
        emit FacilitatorSet(facilitator, allowed);
    }

    function settleBatch(bytes32 root, Leaf[] calldata leaves, bytes calldata blobId) external onlyFacilitator {
        emit BatchSettlement(root, leaves.length, blobId);
    }

    function settleIndividual(Leaf calldata leaf, address payer, bytes calldata blobId) external onlyFacilitator {
        emit IndividualSettlement(
            leaf.teeId, payer, leaf.inputHash, leaf.outputHash, leaf.timestamp, blobId, leaf.signature
        );
    }
}
