// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ITEEVerifier
/// @notice The interface of OpenGradient's TEE precompile at 0x0000000000000000000000000000000000000900 (AWS Nitro
/// attestation and RSA-PSS checks). On the devnet, DevnetTeeVerifier's runtime code stands at that address.
interface ITEEVerifier {
    /// @notice Checks a Nitro attestation document binding `signingPublicKey` and `tlsCertificate`, against
    /// `rootCertificate`. `pcrHash` is `keccak256(pcr0 ‖ pcr1 ‖ pcr2)` of the attested enclave.
    function verifyAttestation(
        bytes calldata attestationDocument,
        bytes calldata signingPublicKey,
        bytes calldata tlsCertificate,
        bytes calldata rootCertificate
    ) external view returns (bool valid, bytes32 pcrHash);

    /// @notice RSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) over `sha256(messageHash)`, key as DER SPKI.
    function verifyRSAPSS(bytes calldata publicKeyDER, bytes32 messageHash, bytes calldata signature)
        external
        view
        returns (bool valid);
}
