using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.TokenTool;

/// <summary>
/// One input to inspect: where it came from, its form, and either its bytes or the reason
/// it could not be read as a credential at all (scanner text or NDEF framing).
/// </summary>
internal sealed record Credential(string Source, string Form, byte[]? Bytes, RejectReason ReadReason, string? ReadError);
