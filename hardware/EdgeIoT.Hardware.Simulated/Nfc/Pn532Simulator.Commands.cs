namespace EdgeIoT.Hardware.Simulated;

public sealed partial class Pn532Simulator
{
    private const byte GetFirmwareVersionCommand = 0x02;
    private const byte SetParametersCommand = 0x12;
    private const byte SamConfigurationCommand = 0x14;
    private const byte RfConfigurationCommand = 0x32;
    private const byte InDataExchangeCommand = 0x40;
    private const byte InDeselectCommand = 0x44;
    private const byte InListPassiveTargetCommand = 0x4A;
    private const byte InReleaseCommand = 0x52;
    private const byte StatusOk = 0x00;
    private const byte StatusTimeout = 0x01;
    private const byte TargetNumber = 0x01;

    private void Answer(byte[] command)
    {
        _commands.Enqueue(command);
        byte code = command[0];
        byte[]? data = code switch
        {
            GetFirmwareVersionCommand => FirmwareVersion,
            SetParametersCommand or SamConfigurationCommand or RfConfigurationCommand => [],
            InListPassiveTargetCommand => ListPassiveTarget(),
            InDataExchangeCommand => DataExchange(command.AsSpan(1)),
            InDeselectCommand or InReleaseCommand => [StatusOk],
            _ => null,
        };

        _terminal.Write(AckFrame);
        _terminal.Write(data is null ? ErrorFrame : ResponseFrame((byte)(code + 1), data));
    }

    // InListPassiveTarget reply for one ISO 14443-A target (user manual section 7.3.5):
    // NbTg, Tg, SENS_RES 00 44 (NTAG21x), SEL_RES 00, NFCIDLength, NFCID1.
    private byte[] ListPassiveTarget()
    {
        SimulatedNtag? tag;
        TaskCompletionSource<bool>? poll;
        lock (_lock)
        {
            tag = _tag;
            poll = _nextPoll;
            _nextPoll = null;
        }

        byte[] reply = tag is null
            ? [0x00]
            : [0x01, TargetNumber, 0x00, 0x44, 0x00, (byte)tag.Uid.Length, .. tag.Uid];
        poll?.TrySetResult(tag is not null);
        return reply;
    }

    // InDataExchange: Tg, then the tag command. READ (0x30, page) returns 16 bytes. A missing
    // tag or an unknown tag command returns status 0x01 (timeout), as when no tag replies.
    private byte[] DataExchange(ReadOnlySpan<byte> parameters)
    {
        SimulatedNtag? tag;
        lock (_lock)
        {
            tag = _tag;
        }

        if (tag is null || parameters.Length < 3 || parameters[0] != TargetNumber || parameters[1] != 0x30)
        {
            return [StatusTimeout];
        }

        return [StatusOk, .. tag.ReadPages(parameters[2])];
    }

    // Normal information frame from the PN532: 00 00 FF LEN LCS D5 code data DCS 00.
    private static byte[] ResponseFrame(byte code, byte[] data)
    {
        byte length = (byte)(data.Length + 2);
        byte sum = (byte)(0xD5 + code);
        foreach (byte value in data)
        {
            sum += value;
        }

        return [0x00, 0x00, 0xFF, length, (byte)(0x100 - length), 0xD5, code, .. data, (byte)(0x100 - sum), 0x00];
    }
}
