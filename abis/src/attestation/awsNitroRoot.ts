/**
 * The AWS Nitro Enclaves attestation root certificate ("AWS_NitroEnclaves_Root-G1", CN=aws.nitro-enclaves, valid
 * 2019-10-28 to 2049-10-28, ECDSA P-384). Published by AWS at
 * https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip; this copy is the one OpenGradient's chain
 * checks registrations against (og-evm `precompiles/tee/nitro_attestation.go`, `DefaultAWSNitroRootCertPEM`), and
 * its SHA-256 is the fingerprint AWS documents (`AWS_NITRO_ROOT_CERTIFICATE_SHA256`).
 */
export const AWS_NITRO_ROOT_CERTIFICATE_PEM = `-----BEGIN CERTIFICATE-----
MIICETCCAZagAwIBAgIRAPkxdWgbkK/hHUbMtOTn+FYwCgYIKoZIzj0EAwMwSTEL
MAkGA1UEBhMCVVMxDzANBgNVBAoMBkFtYXpvbjEMMAoGA1UECwwDQVdTMRswGQYD
VQQDDBJhd3Mubml0cm8tZW5jbGF2ZXMwHhcNMTkxMDI4MTMyODA1WhcNNDkxMDI4
MTQyODA1WjBJMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGQW1hem9uMQwwCgYDVQQL
DANBV1MxGzAZBgNVBAMMEmF3cy5uaXRyby1lbmNsYXZlczB2MBAGByqGSM49AgEG
BSuBBAAiA2IABPwCVOumCMHzaHDimtqQvkY4MpJzbolL//Zy2YlES1BR5TSksfbb
48C8WBoyt7F2Bw7eEtaaP+ohG2bnUs990d0JX28TcPQXCEPZ3BABIeTPYwEoCWZE
h8l5YoQwTcU/9KNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUkCW1DdkF
R+eWw5b6cp3PmanfS5YwDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMDA2kAMGYC
MQCjfy+Rocm9Xue4YnwWmNJVA44fA0P5W2OpYow9OYCVRaEevL8uO1XYru5xtMPW
rfMCMQCi85sWBbJwKKXdS6BptQFuZbT73o/gBh1qUxl/nNr12UO8Yfwr6wPLb+6N
IwLz3/Y=
-----END CERTIFICATE-----`;

/**
 * SHA-256 of the root certificate's DER, as AWS documents it ("Verifying the root of trust",
 * https://docs.aws.amazon.com/enclaves/latest/user/verify-root.html: 64:1A:03:21:…:79:BB:5B).
 */
export const AWS_NITRO_ROOT_CERTIFICATE_SHA256 = "0x641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";
