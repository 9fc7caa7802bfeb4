using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>Signs time beacons with an edge key, in the layout of <see cref="TimeBeaconSignature"/>.</summary>
public static class BeaconSigner
{
    public static TimeBeacon Sign(SigningKey key, uint eventId, uint epoch, long hubTimeMs)
    {
        ArgumentNullException.ThrowIfNull(key);

        byte[] message = TimeBeaconSignature.Message(eventId, epoch, hubTimeMs);
        byte[] signature = new byte[TokenLayout.SignatureLength];
        key.Sign(message, signature);
        return new TimeBeacon
        {
            HubTimeMs = hubTimeMs,
            Epoch = epoch,
            Kid = KeyIds.ToHex(key.KeyId),
            Signature = Hex.Encode(signature, 0, signature.Length),
        };
    }
}
