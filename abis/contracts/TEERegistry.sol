// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "./AccessControl.sol";
import {ITEEVerifier} from "./ITEEVerifier.sol";

/// @title TEERegistry
/// @notice OpenGradient's registry of TEE enclaves, with its real external ABI: an admin adds TEE types and approves
/// enclave measurements (PCRs); an operator registers an enclave with an attestation document that the TEE precompile
/// checks, binding its signing key (`teeId = keccak256(signingPublicKey)`); the enclave sends signed heartbeats.
/// @dev As deployed, `revokePCR` disables the enclaves running the PCR without a `TEEDisabled` event each: only
/// `PCRRevoked` says so, and an indexer must infer those disablements.
contract TEERegistry is AccessControl {
    bytes32 public constant TEE_OPERATOR = keccak256("TEE_OPERATOR");
    ITEEVerifier public constant VERIFIER = ITEEVerifier(0x0000000000000000000000000000000000000900);

    struct PCRMeasurements {
        bytes pcr0;
        bytes pcr1;
        bytes pcr2;
    }

    struct ApprovedPCR {
        bool active;
        uint8 teeType;
        uint256 approvedAt;
        string version;
    }

    struct PCRKey {
        bytes32 pcrHash;
        uint8 teeType;
    }

    struct TEETypeInfo {
        string name;
        bool active;
        uint256 addedAt;
    }

    struct TEEInfo {
        address owner;
        address paymentAddress;
        string endpoint;
        bytes publicKey;
        bytes tlsCertificate;
        bytes32 pcrHash;
        uint8 teeType;
        bool enabled;
        uint256 registeredAt;
        uint256 lastHeartbeatAt;
    }

    /// @notice DER of the AWS Nitro root certificate handed to the precompile with every attestation document.
    bytes public awsRootCertificate;
    /// @notice Oldest a heartbeat's signed timestamp may be, in seconds (30 minutes unless the admin changes it).
    uint256 public heartbeatMaxAge = 1800;

    mapping(uint8 typeId => TEETypeInfo) public teeTypes;
    mapping(uint8 teeType => mapping(bytes32 pcrHash => ApprovedPCR)) public approvedPCRs;
    mapping(bytes32 teeId => TEEInfo) public tees;

    uint8[] private typeList;
    PCRKey[] private pcrKeys;
    mapping(uint8 teeType => bytes32[]) private enabledIds;
    // Position + 1 of an enabled TEE in `enabledIds[teeType]`, so removal is O(1).
    mapping(bytes32 teeId => uint256) private enabledSlot;
    mapping(uint8 teeType => bytes32[]) private idsByType;
    mapping(address owner => bytes32[]) private idsByOwner;

    event TEETypeAdded(uint8 indexed typeId, string name);
    event TEETypeDeactivated(uint8 indexed typeId);
    event PCRApproved(bytes32 indexed pcrHash, uint8 indexed teeType, string version);
    event PCRRevoked(bytes32 indexed pcrHash, uint8 indexed teeType);
    event TEERegistered(bytes32 indexed teeId, address indexed owner, uint8 teeType);
    event TEEDisabled(bytes32 indexed teeId);
    event TEEEnabled(bytes32 indexed teeId);
    event AWSCertificateUpdated(bytes32 indexed certHash);
    event HeartbeatReceived(bytes32 indexed teeId, uint256 timestamp);

    error TEETypeExists();
    error TEETypeNotFound();
    error InvalidTEEType();
    error PCRNotApproved();
    error PCRAlreadyExists();
    error TEEAlreadyExists();
    error TEENotFound();
    error TEENotEnabled();
    error NotTEEOwner();
    error AttestationInvalid(string reason);
    error KeyBindingFailed(string reason);
    error HeartbeatSignatureInvalid();
    error HeartbeatTimestampTooOld();
    error HeartbeatTimestampInFuture();

    /// @dev The TEE's owner while it holds `TEE_OPERATOR`, or an admin.
    modifier onlyTEEOwnerOrAdmin(bytes32 teeId) {
        TEEInfo storage tee = tees[teeId];
        if (tee.registeredAt == 0) revert TEENotFound();
        bool ownerOperator = tee.owner == msg.sender && hasRole(TEE_OPERATOR, msg.sender);
        if (!ownerOperator && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) revert NotTEEOwner();
        _;
    }

    constructor() {
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(TEE_OPERATOR, msg.sender);
        _setRoleAdmin(TEE_OPERATOR, DEFAULT_ADMIN_ROLE);
    }

    // Admin: certificate, heartbeat window, TEE types, PCRs

    function setAWSRootCertificate(bytes calldata certificate) external onlyRole(DEFAULT_ADMIN_ROLE) {
        awsRootCertificate = certificate;
        emit AWSCertificateUpdated(keccak256(certificate));
    }

    function setHeartbeatMaxAge(uint256 maxAge) external onlyRole(DEFAULT_ADMIN_ROLE) {
        heartbeatMaxAge = maxAge;
    }

    function addTEEType(uint8 typeId, string calldata name) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (teeTypes[typeId].addedAt != 0) revert TEETypeExists();
        teeTypes[typeId] = TEETypeInfo({name: name, active: true, addedAt: block.timestamp});
        typeList.push(typeId);
        emit TEETypeAdded(typeId, name);
    }

    function deactivateTEEType(uint8 typeId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (teeTypes[typeId].addedAt == 0) revert TEETypeNotFound();
        teeTypes[typeId].active = false;
        emit TEETypeDeactivated(typeId);
    }

    function isValidTEEType(uint8 typeId) public view returns (bool) {
        return teeTypes[typeId].active;
    }

    function getTEETypes() external view returns (uint8[] memory typeIds, TEETypeInfo[] memory infos) {
        typeIds = typeList;
        infos = new TEETypeInfo[](typeIds.length);
        for (uint256 i = 0; i < typeIds.length; i++) {
            infos[i] = teeTypes[typeIds[i]];
        }
    }

    /// @notice Approves (or re-approves) an enclave measurement for `teeType`.
    function approvePCR(PCRMeasurements calldata pcrs, string calldata version, uint8 teeType)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (!isValidTEEType(teeType)) revert InvalidTEEType();
        bytes32 pcrHash = computePCRHash(pcrs);
        if (approvedPCRs[teeType][pcrHash].approvedAt == 0) pcrKeys.push(PCRKey({pcrHash: pcrHash, teeType: teeType}));
        approvedPCRs[teeType][pcrHash] =
            ApprovedPCR({active: true, teeType: teeType, approvedAt: block.timestamp, version: version});
        emit PCRApproved(pcrHash, teeType, version);
    }

    /// @notice Revokes a measurement and disables every enabled TEE of `teeType` running it. Only `PCRRevoked` is
    /// emitted, as by the deployed registry: the disablements have no event of their own.
    function revokePCR(bytes32 pcrHash, uint8 teeType) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!isPCRApproved(teeType, pcrHash)) revert PCRNotApproved();
        approvedPCRs[teeType][pcrHash].active = false;
        bytes32[] storage enabled = enabledIds[teeType];
        // Backwards, because removal moves the last entry into the freed slot.
        for (uint256 i = enabled.length; i > 0; i--) {
            bytes32 teeId = enabled[i - 1];
            if (tees[teeId].pcrHash == pcrHash) {
                tees[teeId].enabled = false;
                _removeEnabled(teeId, teeType);
            }
        }
        emit PCRRevoked(pcrHash, teeType);
    }

    function isPCRApproved(uint8 teeType, bytes32 pcrHash) public view returns (bool) {
        return approvedPCRs[teeType][pcrHash].active;
    }

    /// @notice `keccak256(pcr0 ‖ pcr1 ‖ pcr2)`, the hash the precompile returns for an attested enclave.
    function computePCRHash(PCRMeasurements calldata pcrs) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(pcrs.pcr0, pcrs.pcr1, pcrs.pcr2));
    }

    /// @notice The measurements approved now, each with its TEE type.
    function getActivePCRs() external view returns (PCRKey[] memory) {
        uint256 count = 0;
        for (uint256 i = 0; i < pcrKeys.length; i++) {
            if (isPCRApproved(pcrKeys[i].teeType, pcrKeys[i].pcrHash)) count++;
        }
        PCRKey[] memory active = new PCRKey[](count);
        uint256 j = 0;
        for (uint256 i = 0; i < pcrKeys.length; i++) {
            if (isPCRApproved(pcrKeys[i].teeType, pcrKeys[i].pcrHash)) active[j++] = pcrKeys[i];
        }
        return active;
    }

    // Operators: registration, disable, enable

    /// @notice Registers an enclave whose attestation document the precompile accepts, binding `signingPublicKey`
    /// (DER SPKI); its measurement must be approved for `teeType`. The caller becomes the TEE's owner.
    function registerTEEWithAttestation(
        bytes calldata attestationDocument,
        bytes calldata signingPublicKey,
        bytes calldata tlsCertificate,
        address paymentAddress,
        string calldata endpoint,
        uint8 teeType
    ) external onlyRole(TEE_OPERATOR) returns (bytes32 teeId) {
        if (!isValidTEEType(teeType)) revert InvalidTEEType();
        teeId = keccak256(signingPublicKey);
        if (tees[teeId].registeredAt != 0) revert TEEAlreadyExists();
        (bool valid, bytes32 pcrHash) =
            VERIFIER.verifyAttestation(attestationDocument, signingPublicKey, tlsCertificate, awsRootCertificate);
        if (!valid) revert AttestationInvalid("Attestation document verification failed");
        if (!isPCRApproved(teeType, pcrHash)) revert PCRNotApproved();

        tees[teeId] = TEEInfo({
            owner: msg.sender,
            paymentAddress: paymentAddress,
            endpoint: endpoint,
            publicKey: signingPublicKey,
            tlsCertificate: tlsCertificate,
            pcrHash: pcrHash,
            teeType: teeType,
            enabled: true,
            registeredAt: block.timestamp,
            lastHeartbeatAt: block.timestamp
        });
        _addEnabled(teeId, teeType);
        idsByType[teeType].push(teeId);
        idsByOwner[msg.sender].push(teeId);
        emit TEERegistered(teeId, msg.sender, teeType);
    }

    function disableTEE(bytes32 teeId) external onlyTEEOwnerOrAdmin(teeId) {
        TEEInfo storage tee = tees[teeId];
        if (!tee.enabled) revert TEENotEnabled();
        tee.enabled = false;
        _removeEnabled(teeId, tee.teeType);
        emit TEEDisabled(teeId);
    }

    /// @notice Re-enables a disabled TEE; its measurement must still be approved. Enabling an enabled TEE does nothing.
    function enableTEE(bytes32 teeId) external onlyTEEOwnerOrAdmin(teeId) {
        TEEInfo storage tee = tees[teeId];
        if (tee.enabled) return;
        if (!isPCRApproved(tee.teeType, tee.pcrHash)) revert PCRNotApproved();
        tee.enabled = true;
        _addEnabled(teeId, tee.teeType);
        emit TEEEnabled(teeId);
    }

    // Liveness

    /// @notice Records a heartbeat: RSA-PSS over `keccak256(abi.encodePacked(teeId, timestamp))` by the TEE's key,
    /// with `timestamp` at most `heartbeatMaxAge` old and not in the future. Anyone may relay it.
    function heartbeat(bytes32 teeId, uint256 timestamp, bytes calldata signature) external {
        TEEInfo storage tee = tees[teeId];
        if (tee.registeredAt == 0) revert TEENotFound();
        if (!tee.enabled) revert TEENotEnabled();
        if (timestamp > block.timestamp) revert HeartbeatTimestampInFuture();
        if (block.timestamp - timestamp > heartbeatMaxAge) revert HeartbeatTimestampTooOld();
        bytes32 messageHash = keccak256(abi.encodePacked(teeId, timestamp));
        if (!VERIFIER.verifyRSAPSS(tee.publicKey, messageHash, signature)) revert HeartbeatSignatureInvalid();
        tee.lastHeartbeatAt = block.timestamp;
        emit HeartbeatReceived(teeId, timestamp);
    }

    // Reads

    function getTEE(bytes32 teeId) external view returns (TEEInfo memory) {
        if (tees[teeId].registeredAt == 0) revert TEENotFound();
        return tees[teeId];
    }

    /// @notice The TEE's signing key (DER SPKI), also while it is disabled; empty for an unknown TEE.
    function getTEEPublicKey(bytes32 teeId) external view returns (bytes memory) {
        return tees[teeId].publicKey;
    }

    function isTEEEnabled(bytes32 teeId) external view returns (bool) {
        return tees[teeId].enabled;
    }

    /// @notice Enabled, measurement still approved, and a heartbeat within `heartbeatMaxAge`.
    function isTEEActive(bytes32 teeId) external view returns (bool) {
        return _isActive(tees[teeId]);
    }

    /// @notice The active TEEs of `teeType` (see `isTEEActive`).
    function getActiveTEEs(uint8 teeType) external view returns (TEEInfo[] memory) {
        bytes32[] storage enabled = enabledIds[teeType];
        uint256 count = 0;
        for (uint256 i = 0; i < enabled.length; i++) {
            if (_isActive(tees[enabled[i]])) count++;
        }
        TEEInfo[] memory active = new TEEInfo[](count);
        uint256 j = 0;
        for (uint256 i = 0; i < enabled.length; i++) {
            if (_isActive(tees[enabled[i]])) active[j++] = tees[enabled[i]];
        }
        return active;
    }

    /// @notice The enabled TEEs of `teeType`, whatever their heartbeat.
    function getEnabledTEEs(uint8 teeType) external view returns (bytes32[] memory) {
        return enabledIds[teeType];
    }

    /// @notice Every TEE ever registered with `teeType`, enabled or not.
    function getTEEsByType(uint8 teeType) external view returns (bytes32[] memory) {
        return idsByType[teeType];
    }

    function getTEEsByOwner(address owner) external view returns (bytes32[] memory) {
        return idsByOwner[owner];
    }

    function computeTEEId(bytes calldata publicKey) external pure returns (bytes32) {
        return keccak256(publicKey);
    }

    function _isActive(TEEInfo storage tee) private view returns (bool) {
        return tee.enabled && block.timestamp - tee.lastHeartbeatAt <= heartbeatMaxAge
            && isPCRApproved(tee.teeType, tee.pcrHash);
    }

    function _addEnabled(bytes32 teeId, uint8 teeType) private {
        enabledIds[teeType].push(teeId);
        enabledSlot[teeId] = enabledIds[teeType].length;
    }

    function _removeEnabled(bytes32 teeId, uint8 teeType) private {
        bytes32[] storage enabled = enabledIds[teeType];
        uint256 index = enabledSlot[teeId] - 1;
        bytes32 last = enabled[enabled.length - 1];
        enabled[index] = last;
        enabledSlot[last] = index + 1;
        enabled.pop();
        delete enabledSlot[teeId];
    }
}
