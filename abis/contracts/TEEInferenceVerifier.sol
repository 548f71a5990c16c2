// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "./AccessControl.sol";
import {ITEEVerifier} from "./ITEEVerifier.sol";

/// @notice The registry reads TEEInferenceVerifier needs (TEERegistry answers them).
interface ITEERegistryKeys {
    function isTEEEnabled(bytes32 teeId) external view returns (bool);
    function getTEEPublicKey(bytes32 teeId) external view returns (bytes memory);
}

/// @title TEEInferenceVerifier
/// @notice OpenGradient's check of a TEE's signature over one inference, the v3 relay's `SETTLEMENT_CONTRACT`: the TEE
/// is enabled in the registry, and its RSA-PSS signature over `keccak256(inputHash ‖ outputHash ‖ uint256 timestamp)`
/// verifies through the TEE precompile; `verifySignature` also wants the timestamp recent.
contract TEEInferenceVerifier is AccessControl {
    ITEEVerifier public constant VERIFIER = ITEEVerifier(0x0000000000000000000000000000000000000900);
    /// @notice Oldest an inference's timestamp may be for `verifySignature`.
    uint256 public constant MAX_INFERENCE_AGE = 1 hours;
    /// @notice How far ahead of the block an inference's timestamp may be (clock skew).
    uint256 public constant FUTURE_TOLERANCE = 5 minutes;

    ITEERegistryKeys public registry;

    event RegistryUpdated(address indexed oldRegistry, address indexed newRegistry);

    error InvalidRegistryAddress();

    constructor(address _registry) {
        if (_registry == address(0)) revert InvalidRegistryAddress();
        registry = ITEERegistryKeys(_registry);
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
    }

    /// @notice Points the verifier at another registry (after a registry migration).
    function setRegistry(address _registry) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_registry == address(0)) revert InvalidRegistryAddress();
        emit RegistryUpdated(address(registry), _registry);
        registry = ITEERegistryKeys(_registry);
    }

    /// @notice The 32-byte message a TEE signs: `keccak256(abi.encodePacked(inputHash, outputHash, timestamp))`.
    function computeMessageHash(bytes32 inputHash, bytes32 outputHash, uint256 timestamp)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encodePacked(inputHash, outputHash, timestamp));
    }

    /// @notice False unless the TEE is enabled, `timestamp` lies in [now − 1 hour, now + 5 minutes] and the signature
    /// verifies.
    function verifySignature(
        bytes32 teeId,
        bytes32 inputHash,
        bytes32 outputHash,
        uint256 timestamp,
        bytes calldata signature
    ) external view returns (bool) {
        uint256 oldest = block.timestamp > MAX_INFERENCE_AGE ? block.timestamp - MAX_INFERENCE_AGE : 0;
        if (timestamp < oldest || timestamp > block.timestamp + FUTURE_TOLERANCE) return false;
        return verifySignatureNoTimestamp(teeId, inputHash, outputHash, timestamp, signature);
    }

    /// @notice `verifySignature` without the time window, for proofs checked long after the inference. The TEE must
    /// still be enabled now.
    function verifySignatureNoTimestamp(
        bytes32 teeId,
        bytes32 inputHash,
        bytes32 outputHash,
        uint256 timestamp,
        bytes calldata signature
    ) public view returns (bool) {
        if (!registry.isTEEEnabled(teeId)) return false;
        bytes memory publicKey = registry.getTEEPublicKey(teeId);
        return VERIFIER.verifyRSAPSS(publicKey, computeMessageHash(inputHash, outputHash, timestamp), signature);
    }
}
