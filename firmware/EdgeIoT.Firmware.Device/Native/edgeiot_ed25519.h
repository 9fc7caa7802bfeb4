// Ed25519 signature check of the EdgeIoT turnstile firmware, plain C so the same function
// runs inside the ESP32 image and in the host-side check (tests/EdgeIoT.Firmware.Tests,
// NativeEd25519Tests), which compiles it with gcc against Debian's libsodium-dev.
#ifndef EDGEIOT_ED25519_H
#define EDGEIOT_ED25519_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EDGEIOT_ED25519_PUBLIC_KEY_BYTES 32
#define EDGEIOT_ED25519_SIGNATURE_BYTES 64

// Returns 1 when signature is a valid Ed25519 signature (RFC 8032) of message_length bytes
// of message under public_key, 0 when it is not, and -1 when libsodium could not start.
int edgeiot_ed25519_verify(
    const uint8_t public_key[EDGEIOT_ED25519_PUBLIC_KEY_BYTES],
    const uint8_t *message,
    size_t message_length,
    const uint8_t signature[EDGEIOT_ED25519_SIGNATURE_BYTES]);

#ifdef __cplusplus
}
#endif

#endif
