using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// NFC taps: the board's NFC reader driver (the virtual ESP32 in the simulator) passes the
    /// tag's data area and UID, and the token inside is decided as a scanned one is.
    /// </summary>
    public partial class TurnstileApp
    {
        /// <summary>
        /// Decides one NFC tag tap. Returns null when the gate is still busy, as
        /// <see cref="OnScanLine"/> does. A tag without a token record is denied as
        /// malformed, and its event's detail names the field that is wrong.
        /// </summary>
        /// <param name="tagData">Data area of an NFC Forum Type 2 tag: the NDEF TLV of <see cref="NdefToken"/>.</param>
        /// <param name="chipUid">UID from the reader's anticollision, which a wristband credential is bound to.</param>
        /// <param name="nowUnixMs">Device wall-clock time when the tag was read.</param>
        /// <param name="monotonicTicks">Monotonic time when the tag was read, for the latency.</param>
        public FirmwareDecision OnTagRead(byte[] tagData, byte[] chipUid, long nowUnixMs, long monotonicTicks)
        {
            string error;
            byte[] token = NdefToken.TryParseTagData(tagData, out error);
            RejectReason decoded = token == null ? RejectReason.Malformed : RejectReason.None;
            return OnCredential(decoded, token, chipUid, token == null ? error : null, nowUnixMs, monotonicTicks);
        }
    }
}
