using System.Device.Spi;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Iot.Device.Mfrc522;
using Iot.Device.Rfid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// An NFC reader on an NXP MFRC522 (Iot.Device.Mfrc522, SPI). It polls with REQA for one ISO
/// 14443-A tag, selects it, reads the NDEF message of an NTAG21x and yields the token with the
/// chip UID. After a read the tag is halted (HLTA), so a tag left on the reader is read once
/// and read again only after it left the field. The reader is reopened with back-off after a fault.
/// </summary>
public sealed partial class Mfrc522NfcReader : IScanner
{
    private readonly Mfrc522NfcReaderOptions _options;
    private readonly Func<SpiDevice> _openSpi;
    private readonly INfcTokenDecoder _decoder;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _tagsWithoutToken;
    private long _connections;
    private volatile bool _disposed;

    /// <param name="openSpi">Opens the SPI device; null opens <c>/dev/spidev{bus}.{chip select}</c> in SPI mode 0.</param>
    public Mfrc522NfcReader(
        Mfrc522NfcReaderOptions options, Func<SpiDevice>? openSpi = null, INfcTokenDecoder? decoder = null,
        TimeProvider? timeProvider = null, ILogger<Mfrc522NfcReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _options = options;
        _openSpi = openSpi ?? (() => SpiDevice.Create(new SpiConnectionSettings(options.SpiBusId, options.ChipSelectLine)
        {
            ClockFrequency = options.ClockFrequencyHz,
            Mode = MfRc522.DefaultSpiMode,
        }));
        _decoder = decoder ?? NdefTokenDecoder.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string Name => _options.Name;

    /// <summary>Tags that carried no readable token (blank tags, wristbands without NDEF, unknown formats).</summary>
    public long TagsWithoutTokenCount => Interlocked.Read(ref _tagsWithoutToken);

    /// <summary>Successful opens of the reader, so 2 or more means it was reopened.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connections);

    /// <summary>Raised for each placed tag that carried no readable token.</summary>
    public event EventHandler<NfcTagEventArgs>? TagWithoutToken;

    /// <summary>
    /// Yields one scan per placed tag that carries a token, until <paramref name="cancellationToken"/>
    /// is cancelled (which throws <see cref="OperationCanceledException"/>) or the reader is disposed.
    /// </summary>
    public async IAsyncEnumerable<ScanRead> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!_disposed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MfRc522? device = TryOpen(failures);
            if (device is null)
            {
                await DelayAsync(failures++, cancellationToken);
                continue;
            }

            failures = 0;
            try
            {
                while (!_disposed)
                {
                    NfcPoll poll = await Task.Run(() => Poll(device), cancellationToken);
                    if (poll.Kind == NfcPollKind.Fault)
                    {
                        LogReaderFault(_logger, Name, poll.Reason);
                        break;
                    }

                    if (poll.Kind == NfcPollKind.Token)
                    {
                        yield return new ScanRead(poll.TokenText!, ScanSource.Nfc, poll.TimestampTicks, poll.Uid);
                    }
                    else if (poll.Kind == NfcPollKind.NoToken)
                    {
                        ReportNoToken(poll);
                    }
                    else if (poll.Kind == NfcPollKind.ReadFailed)
                    {
                        LogReadRetry(_logger, Name, poll.Reason);
                    }

                    await Task.Delay(_options.PollInterval, _timeProvider, cancellationToken);
                }
            }
            finally
            {
                device.Dispose();
            }

            if (!_disposed)
            {
                await DelayAsync(failures++, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private MfRc522? TryOpen(int failures)
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
                LogUnknownVersion(_logger, Name, _options.SpiBusId, _options.ChipSelectLine);
            }

            Interlocked.Increment(ref _connections);
            LogOpened(_logger, Name, _options.SpiBusId, _options.ChipSelectLine, version.ToString());
            return device;
        }
        catch (Exception exception) when (IsDeviceFault(exception))
        {
            spi?.Dispose();
            LogOpenFailed(_logger, exception, Name, _options.SpiBusId, _options.ChipSelectLine, failures + 1);
            return null;
        }
    }

    private NfcPoll Poll(MfRc522 device)
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

    private NfcPoll ReadToken(MfRc522 device, Data106kbpsTypeA card, long timestamp)
    {
        if (!Ntag21x.TryReadNdef(device, card.TargetNumber, out byte[]? message, out string? error, out bool transient))
        {
            NfcPollKind kind = transient ? NfcPollKind.ReadFailed : NfcPollKind.NoToken;
            return new NfcPoll(kind, card.NfcId, null, error, timestamp);
        }

        return _decoder.TryDecode(message, out string? token)
            ? new NfcPoll(NfcPollKind.Token, card.NfcId, token, null, timestamp)
            : new NfcPoll(NfcPollKind.NoToken, card.NfcId, null, "the NDEF message has no token record", timestamp);
    }

    private void ReportNoToken(NfcPoll poll)
    {
        Interlocked.Increment(ref _tagsWithoutToken);
        int uidLength = poll.Uid?.Length ?? 0;
        LogTagWithoutToken(_logger, Name, uidLength, poll.Reason);
        TagWithoutToken?.Invoke(this, new NfcTagEventArgs(Name, uidLength, poll.Reason ?? "unknown"));
    }

    private Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.Backoff.DelayAfter(failures);
        LogReopening(_logger, Name, delay.TotalMilliseconds);
        return Task.Delay(delay, _timeProvider, cancellationToken);
    }

    // Opening /dev/spidev throws IOException or UnauthorizedAccessException, and the binding
    // raises plain exceptions for register timeouts.
    private static bool IsDeviceFault(Exception exception) =>
        exception is not OperationCanceledException and not OutOfMemoryException;

    [LoggerMessage(EventId = 4131, Level = LogLevel.Information,
        Message = "NFC reader {Reader} opened on spidev{SpiBusId}.{ChipSelectLine}, MFRC522 version {Version}")]
    private static partial void LogOpened(ILogger logger, string reader, int spiBusId, int chipSelectLine, string version);

    [LoggerMessage(EventId = 4132, Level = LogLevel.Warning,
        Message = "NFC reader {Reader} could not be opened on spidev{SpiBusId}.{ChipSelectLine} (attempt {Attempt})")]
    private static partial void LogOpenFailed(
        ILogger logger, Exception exception, string reader, int spiBusId, int chipSelectLine, int attempt);

    [LoggerMessage(EventId = 4133, Level = LogLevel.Warning, Message = "NFC reader {Reader} failed: {Error}; reopening")]
    private static partial void LogReaderFault(ILogger logger, string reader, string? error);

    [LoggerMessage(EventId = 4134, Level = LogLevel.Information,
        Message = "NFC reader {Reader} reopening in {DelayMilliseconds} ms")]
    private static partial void LogReopening(ILogger logger, string reader, double delayMilliseconds);

    [LoggerMessage(EventId = 4135, Level = LogLevel.Information,
        Message = "NFC reader {Reader} read a tag with a {UidLength}-byte UID but no token: {Reason}")]
    private static partial void LogTagWithoutToken(ILogger logger, string reader, int uidLength, string? reason);

    [LoggerMessage(EventId = 4136, Level = LogLevel.Debug,
        Message = "NFC reader {Reader} lost the tag mid-read ({Reason}); reading it again at the next poll")]
    private static partial void LogReadRetry(ILogger logger, string reader, string? reason);

    [LoggerMessage(EventId = 4137, Level = LogLevel.Warning,
        Message = "NFC reader {Reader} on spidev{SpiBusId}.{ChipSelectLine} reports no known MFRC522 version: check the wiring unless the module is a clone")]
    private static partial void LogUnknownVersion(ILogger logger, string reader, int spiBusId, int chipSelectLine);
}
