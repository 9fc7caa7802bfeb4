using System.Diagnostics;
using Iot.Device.Pn532;
using Iot.Device.Pn532.ListPassive;
using Iot.Device.Pn532.RfConfiguration;
using Iot.Device.Rfid;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware;

/// <summary>
/// An NFC reader on a PN532 (Iot.Device.Pn532, HSU serial). It polls for one ISO 14443-A
/// target, reads the NDEF message of an NTAG21x tag and yields its token, with the chip UID
/// from anticollision, once per placement:
/// a tag left on the reader is read once, and read again only after it was taken away. The
/// reader is reopened with back-off after a fault or an unplug.
/// </summary>
public sealed partial class Pn532NfcReader : NfcReader<Pn532>
{
    private readonly Pn532NfcReaderOptions _options;

    public Pn532NfcReader(
        Pn532NfcReaderOptions options, INfcTokenDecoder? decoder = null, TimeProvider? timeProvider = null,
        ILogger<Pn532NfcReader>? logger = null)
        : base(Validated(options).Name, options.PollInterval, options.Backoff, decoder, timeProvider, logger)
    {
        _options = options;
    }

    protected override Pn532? TryOpen(int attempt)
    {
        try
        {
            // NOTE: when the chip does not reply, the binding's constructor throws without closing
            // its serial port; the port is released only when the garbage collector finalizes it.
            var device = new Pn532(_options.PortName);

            // The PN532 retries InListPassiveTarget forever by default (MxRtyPassiveActivation
            // 0xFF, user manual section 7.3.1), which outlasts the binding's 89 ms read timeout.
            device.SetMaxRetriesInitialization(new MaxRetriesMode { MaxRetryPassiveActivation = 2 });
            LogOpened(Logger, Name, _options.PortName);
            return device;
        }
        catch (Exception exception) when (IsDeviceFault(exception))
        {
            LogOpenFailed(Logger, exception, Name, _options.PortName, attempt);
            return null;
        }
    }

    private protected override NfcPoll Poll(Pn532 device, byte[]? present)
    {
        try
        {
            byte[]? targets = device.ListPassiveTarget(MaxTarget.One, TargetBaudRate.B106kbpsTypeA);
            if (targets is null || targets.Length < 2 || targets[0] == 0)
            {
                return NfcPoll.NoTag;
            }

            long timestamp = Stopwatch.GetTimestamp();
            Data106kbpsTypeA? card = device.TryDecode106kbpsTypeA(targets.AsSpan(1));
            if (card is null || card.NfcId.Length == 0)
            {
                return NfcPoll.NoTag;
            }

            if (present is not null && present.AsSpan().SequenceEqual(card.NfcId))
            {
                return new NfcPoll(NfcPollKind.SameTag, card.NfcId, null, null, timestamp);
            }

            NfcPoll result = ReadToken(device, card, timestamp);
            device.ReleaseTarget(card.TargetNumber);
            return result;
        }
        catch (Exception exception) when (IsDeviceFault(exception))
        {
            return NfcPoll.Fault(exception.Message);
        }
    }

    private static Pn532NfcReaderOptions Validated(Pn532NfcReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "NFC reader {Reader} opened on {PortName}")]
    private static partial void LogOpened(ILogger logger, string reader, string portName);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning,
        Message = "NFC reader {Reader} could not be opened on {PortName} (attempt {Attempt})")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, string reader, string portName, int attempt);
}
