using System.Device.Spi;
using System.Diagnostics;
using Iot.Device.Mfrc522;
using Iot.Device.Rfid;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware;

/// <summary>
/// An NFC reader on an NXP MFRC522 (Iot.Device.Mfrc522, SPI). It polls with REQA for one ISO
/// 14443-A tag, selects it, reads the NDEF message of an NTAG21x and yields the token with the
/// chip UID. After a read the tag is halted (HLTA), so a tag left on the reader is read once
/// and read again only after it left the field. The reader is reopened with back-off after a fault.
/// </summary>
public sealed partial class Mfrc522NfcReader : NfcReader<MfRc522>
{
    private readonly Mfrc522NfcReaderOptions _options;
    private readonly Func<SpiDevice> _openSpi;

    /// <param name="openSpi">Opens the SPI device; null opens <c>/dev/spidev{bus}.{chip select}</c> in SPI mode 0.</param>
    public Mfrc522NfcReader(
        Mfrc522NfcReaderOptions options, Func<SpiDevice>? openSpi = null, INfcTokenDecoder? decoder = null,
        TimeProvider? timeProvider = null, ILogger<Mfrc522NfcReader>? logger = null)
        : base(Validated(options).Name, options.PollInterval, options.Backoff, decoder, timeProvider, logger)
    {
        _options = options;
        _openSpi = openSpi ?? (() => SpiDevice.Create(new SpiConnectionSettings(options.SpiBusId, options.ChipSelectLine)
        {
            ClockFrequency = options.ClockFrequencyHz,
            Mode = MfRc522.DefaultSpiMode,
        }));
    }

    protected override MfRc522? TryOpen(int attempt)
    {
        SpiDevice? spi = null;
        try
        {
            spi = _openSpi();
            var device = new MfRc522(spi);

            // A genuine MFRC522 reports version 1.0 or 2.0. A clone may report another value
            // and still work, and a missing chip usually reads 0x00 or 0xFF. All show as 0.0.
            Version version = device.Version;
            if (version.Major == 0)
            {
                LogUnknownVersion(Logger, Name, _options.SpiBusId, _options.ChipSelectLine);
            }

            LogOpened(Logger, Name, _options.SpiBusId, _options.ChipSelectLine, version.ToString());
            return device;
        }
        catch (Exception exception) when (IsDeviceFault(exception))
        {
            spi?.Dispose();
            LogOpenFailed(Logger, exception, Name, _options.SpiBusId, _options.ChipSelectLine, attempt);
            return null;
        }
    }

    // The reader halts each tag after reading it, so a tag left on the reader no longer responds to
    // REQA, and Poll ignores the tag present at the last poll.
    private protected override NfcPoll Poll(MfRc522 device, byte[]? present)
    {
        try
        {
            // A zero timeout sends one REQA, to which only an idle tag responds, not a halted one.
            if (!device.ListenToCardIso14443TypeA(out Data106kbpsTypeA card, TimeSpan.Zero) || card.NfcId.Length == 0)
            {
                return NfcPoll.NoTag;
            }

            long timestamp = Stopwatch.GetTimestamp();
            NfcPoll result = ReadToken(device, card, timestamp);
            if (result.Kind != NfcPollKind.ReadFailed)
            {
                device.Halt();
            }

            return result;
        }
        catch (Exception exception) when (IsDeviceFault(exception))
        {
            return NfcPoll.Fault(exception.Message);
        }
    }

    private static Mfrc522NfcReaderOptions Validated(Mfrc522NfcReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    [LoggerMessage(EventId = 4131, Level = LogLevel.Information,
        Message = "NFC reader {Reader} opened on spidev{SpiBusId}.{ChipSelectLine}, MFRC522 version {Version}")]
    private static partial void LogOpened(ILogger logger, string reader, int spiBusId, int chipSelectLine, string version);

    [LoggerMessage(EventId = 4132, Level = LogLevel.Warning,
        Message = "NFC reader {Reader} could not be opened on spidev{SpiBusId}.{ChipSelectLine} (attempt {Attempt})")]
    private static partial void LogOpenFailed(
        ILogger logger, Exception exception, string reader, int spiBusId, int chipSelectLine, int attempt);

    [LoggerMessage(EventId = 4137, Level = LogLevel.Warning,
        Message = "NFC reader {Reader} on spidev{SpiBusId}.{ChipSelectLine} reports no known MFRC522 version: check the wiring unless the module is a clone")]
    private static partial void LogUnknownVersion(ILogger logger, string reader, int spiBusId, int chipSelectLine);
}
