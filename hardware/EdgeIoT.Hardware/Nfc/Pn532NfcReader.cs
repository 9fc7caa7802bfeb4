using System.Diagnostics;
using System.Runtime.CompilerServices;
using Iot.Device.Pn532;
using Iot.Device.Pn532.ListPassive;
using Iot.Device.Pn532.RfConfiguration;
using Iot.Device.Rfid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// An NFC reader on a PN532 (Iot.Device.Pn532, HSU serial). It polls for one ISO 14443-A
/// target, reads the NDEF message of an NTAG21x tag and yields its token, with the chip UID
/// from anticollision, once per placement:
/// a tag left on the reader is read once, and read again only after it was taken away. The
/// reader is reopened with back-off after a fault or an unplug.
/// </summary>
public sealed partial class Pn532NfcReader : IScanner
{
    private readonly Pn532NfcReaderOptions _options;
    private readonly INfcTokenDecoder _decoder;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _tagsWithoutToken;
    private long _connections;
    private volatile bool _disposed;

    public Pn532NfcReader(
        Pn532NfcReaderOptions options, INfcTokenDecoder? decoder = null, TimeProvider? timeProvider = null,
        ILogger<Pn532NfcReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _options = options;
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
            Pn532? device = await Task.Run(() => TryOpen(failures), cancellationToken);
            if (device is null)
            {
                await DelayAsync(failures++, cancellationToken);
                continue;
            }

            failures = 0;
            try
            {
                byte[]? present = null;
                while (!_disposed)
                {
                    NfcPoll poll = await Task.Run(() => Poll(device, present), cancellationToken);
                    if (poll.Kind == NfcPollKind.Fault)
                    {
                        LogReaderFault(_logger, Name, poll.Reason);
                        break;
                    }

                    present = poll.Kind is NfcPollKind.NoTag or NfcPollKind.ReadFailed ? null : poll.Uid;
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

    private Pn532? TryOpen(int failures)
    {
        try
        {
            // NOTE: when the chip does not reply, the binding's constructor throws without closing
            // its serial port; the port is released only when the garbage collector finalizes it.
            var device = new Pn532(_options.PortName);

            // The PN532 retries InListPassiveTarget forever by default (MxRtyPassiveActivation
            // 0xFF, user manual section 7.3.1), which outlasts the binding's 89 ms read timeout.
            device.SetMaxRetriesInitialization(new MaxRetriesMode { MaxRetryPassiveActivation = 2 });
            Interlocked.Increment(ref _connections);
            LogOpened(_logger, Name, _options.PortName);
            return device;
        }
        catch (Exception exception) when (IsDeviceFault(exception))
        {
            LogOpenFailed(_logger, exception, Name, _options.PortName, failures + 1);
            return null;
        }
    }

    private NfcPoll Poll(Pn532 device, byte[]? present)
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

    private NfcPoll ReadToken(Pn532 device, Data106kbpsTypeA card, long timestamp)
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

    // The binding reports a missing chip with a plain Exception ("Can't find a PN532"), and a
    // lost serial port with IOException, InvalidOperationException or UnauthorizedAccessException.
    private static bool IsDeviceFault(Exception exception) =>
        exception is not OperationCanceledException and not OutOfMemoryException;

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "NFC reader {Reader} opened on {PortName}")]
    private static partial void LogOpened(ILogger logger, string reader, string portName);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning,
        Message = "NFC reader {Reader} could not be opened on {PortName} (attempt {Attempt})")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, string reader, string portName, int attempt);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "NFC reader {Reader} failed: {Error}; reopening")]
    private static partial void LogReaderFault(ILogger logger, string reader, string? error);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Information,
        Message = "NFC reader {Reader} reopening in {DelayMilliseconds} ms")]
    private static partial void LogReopening(ILogger logger, string reader, double delayMilliseconds);

    [LoggerMessage(EventId = 4116, Level = LogLevel.Debug,
        Message = "NFC reader {Reader} lost the tag mid-read ({Reason}); reading it again at the next poll")]
    private static partial void LogReadRetry(ILogger logger, string reader, string? reason);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Information,
        Message = "NFC reader {Reader} read a tag with a {UidLength}-byte UID but no token: {Reason}")]
    private static partial void LogTagWithoutToken(ILogger logger, string reader, int uidLength, string? reason);
}
