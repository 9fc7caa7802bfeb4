#include "edgeiot_ed25519.h"

#include <sodium.h>

int edgeiot_ed25519_verify(
    const uint8_t public_key[EDGEIOT_ED25519_PUBLIC_KEY_BYTES],
    const uint8_t *message,
    size_t message_length,
    const uint8_t signature[EDGEIOT_ED25519_SIGNATURE_BYTES])
{
    // sodium_init is safe to call more than once and returns 1 when already initialized.
    if (sodium_init() < 0)
    {
        return -1;
    }

    if (public_key == NULL || signature == NULL || (message == NULL && message_length > 0))
    {
        return 0;
    }

    // libsodium rejects a non-canonical S (S >= L, RFC 8032 section 5.1.7) and small-order
    // public keys, as NSec does on .NET, so device and hub accept exactly the same tokens.
    return crypto_sign_verify_detached(signature, message, (unsigned long long)message_length, public_key) == 0 ? 1 : 0;
}
