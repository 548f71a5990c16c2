// A real signed response of OpenGradient's TEE gateway under the legacy v0 scheme: OpenGradient/tee-gateway
// examples/verify_signature_example.py (0047db0, 2025-12-16) — the enclave's PEM key, its signature, the sha256 request
// hash, the ISO time and the answer's content. Shared by the verifier's and the CLI's tests.
export const REAL = {
  pem: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlZfwKzVJcc2am/006eVR
07J7W6jpdFiuB3HMSxnB+to7bMR49RX2cVJpKar+1i0+qfzDYTo3zsJTKy4JcNuL
O9uiJZgZ6DsAGEROwKihPtGF0Z2dG1uSwdSHyPUDtUEGNfkXbWmORFhO1O4Gurvc
Lnf9LWRnVpiep26KyQlN+2JUVbpr17bEV/NiBe7u1klCs22BBYo3w0ZBT9FjhamO
1EtWS9Cz+tMqYryPRYL4cQahGLEYgLm1gWsChlxmsBixV4Iv+AqUvvbQf5vKuxlz
mjlJv08ZCKnCc0034NsdKbriJ0G3AlQHRk0TrPMkriGMJmAcDUyxmArh4b1/0aSZ
CwIDAQAB
-----END PUBLIC KEY-----
`,
  signature:
    "PLyCgScL1Jr6OSb7wazEbor4yhBYJpauuqmsZJBoRNrpYl0sJ3ct472IminGRcfGGF1sBNB9YU6lKiWsJRnygJIufQ+yKt6a14QxrtjYp0F2LKCIvjIzveVnHs6oQQa9hz8VJFqSO/QLa4quw1GjYJHo+2fy8JPOPSBCXtmbHhBj4/7vSK53kQwJ0jld+LnpaAlURMxSaR49KOsbmAFCB9iR1pv292g0QOIY0hvlsNjH7HWaz+X1e2+Yytcl3eLP2IYIQqyVgJkm/U2zGb8ZZW10xxY+DbN+QlnHU9/SAq38n36zDbjLdZUhkgVTtht4vdn1wgFDSuEGQx4X5/nIHw==",
  requestHash: "3cd5e62557ea16dc77aef5c2c66188d180be259ac00f482de19896e78ebbf429",
  timestamp: "2025-12-16T08:20:26.491885+00:00",
  content: "Hello! How can I assist you today? 😊",
  model: "gpt-4.1-2025-04-14",
};

/** The real values in the v0 chat body the connexion gateway wrote (tee_* fields beside an OpenAI body). */
export const realBody = (content = REAL.content) =>
  JSON.stringify({
    id: "chatcmpl-legacy",
    object: "chat.completion",
    created: 1765873226,
    model: REAL.model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    tee_signature: REAL.signature,
    tee_request_hash: REAL.requestHash,
    tee_timestamp: REAL.timestamp,
  });
