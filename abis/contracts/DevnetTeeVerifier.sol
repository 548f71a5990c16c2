// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITEEVerifier} from "./ITEEVerifier.sol";

/// @title DevnetTeeVerifier
/// @notice The devnet's stand-in for OpenGradient's TEE precompile: the devnet places this contract's runtime code at
/// 0x0000000000000000000000000000000000000900 (`anvil_setCode`), so TEERegistry and TEEInferenceVerifier run unchanged.
/// It checks no RSA and no AWS signature: Settlescan verifies TEE signatures itself, off chain.
/// @dev No storage and no constructor: only runtime code is installed. Both checks read no state, so they are `pure`
/// here where the interface says `view`; their selectors are the precompile's.
contract DevnetTeeVerifier is ITEEVerifier {
    /// @notice The devnet's attestation document is `abi.encode(bytes pcr0, bytes pcr1, bytes pcr2, bytes32
    /// signingKeyHash)`. It is valid when it decodes and `signingKeyHash == sha256(signingPublicKey)`, which binds the
    /// key as a Nitro document's user data does; the TLS certificate and root certificate are not checked. A malformed
    /// document gives `(false, 0)`, never a revert.
    function verifyAttestation(
        bytes calldata attestationDocument,
        bytes calldata signingPublicKey,
        bytes calldata tlsCertificate,
        bytes calldata rootCertificate
    ) external pure returns (bool valid, bytes32 pcrHash) {
        (tlsCertificate, rootCertificate); // Named for the ABI, as in ITEEVerifier; not checked on the devnet.
        if (attestationDocument.length < 128) return (false, bytes32(0));
        if (bytes32(attestationDocument[96:128]) != sha256(signingPublicKey)) return (false, bytes32(0));
        bytes memory pcrs;
        for (uint256 head = 0; head < 96; head += 32) {
            (bool inside, bytes calldata pcr) = _bytesAt(attestationDocument, head);
            if (!inside) return (false, bytes32(0));
            pcrs = bytes.concat(pcrs, pcr);
        }
        return (true, keccak256(pcrs));
    }

    /// @notice True when the key and the signature are non-empty: the devnet does no RSA (Settlescan checks every TEE
    /// signature itself, off chain, and the devnet must be able to post a bad one).
    function verifyRSAPSS(bytes calldata publicKeyDER, bytes32 messageHash, bytes calldata signature)
        external
        pure
        returns (bool valid)
    {
        messageHash; // Named for the ABI, as in ITEEVerifier; the devnet checks no RSA.
        return publicKeyDER.length > 0 && signature.length > 0;
    }

    /// @dev The `bytes` whose offset is the word at `head`, unless its offset or length points outside `document`
    /// (what `abi.decode` checks, without its revert). `document` is at least 128 bytes long.
    function _bytesAt(bytes calldata document, uint256 head) private pure returns (bool ok, bytes calldata value) {
        value = document[0:0];
        uint256 offset = uint256(bytes32(document[head:head + 32]));
        if (offset > document.length - 32) return (false, value);
        uint256 start = offset + 32;
        uint256 length = uint256(bytes32(document[offset:start]));
        if (length > document.length - start) return (false, value);
        return (true, document[start:start + length]);
    }
}
