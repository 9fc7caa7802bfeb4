using System.Runtime.CompilerServices;
using Iot.Device.Card;
using Iot.Device.Rfid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// The poll loop of an NFC reader chip: open the chip, poll it for one ISO 14443-A tag, read
/// the tag's NDEF token, and reopen with back-off after a fault or an unplug. A subclass opens
/// its chip and polls it once.
/// </summary>
/// <typeparam name="TDevice">The chip's binding, such as Iot.Device.Pn532 or Iot.Device.Mfrc522.</typeparam>
public abstract class NfcReader<TDevice> : IScanner
    where TDevice : CardTransceiver, IDisposable
{
    private readonly TimeSpan _pollInterval;
    private readonly ReconnectBackoff _backoff;
    private readonly INfcTokenDecoder _decoder;
    private readonly TimeProvider _timeProvider;
    private long _tagsWithoutToken;
    private long _connections;
    private volatile bool _disposed;

    protected NfcReader(
        string name, TimeSpan pollInterval, ReconnectBackoff backoff, INfcTokenDecoder? decoder,
        TimeProvider? timeProvider, ILogger? logger)
    {
        Name = name;
        _pollInterval = pollInterval;
        _backoff = backoff;
        _decoder = decoder ?? NdefTokenDecoder.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        Logger = logger ?? NullLogger.Instance;
    }

    public string Name { get; }

    /// <summary>Tags that carried no readable token (blank tags, wristbands without NDEF, unknown formats).</summary>
    public long TagsWithoutTokenCount => Interlocked.Read(ref _tagsWithoutToken);

    /// <summary>Successful opens of the reader, so 2 or more means it was reopened.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connections);

    protected ILogger Logger { get; }

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
            int attempt = failures + 1;
            TDevice? device = await Task.Run(() => TryOpen(attempt), cancellationToken);
            if (device is null)
            {
                await DelayAsync(failures++, cancellationToken);
                continue;
            }

            Interlocked.Increment(ref _connections);
            failures = 0;
            try
            {
                byte[]? present = null;
                while (!_disposed)
                {
                    NfcPoll poll = await Task.Run(() => Poll(device, present), cancellationToken);
                    if (poll.Kind == NfcPollKind.Fault)
                    {
                        NfcReaderLog.ReaderFault(Logger, Name, poll.Reason);
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
                        NfcReaderLog.ReadRetry(Logger, Name, poll.Reason);
                    }

                    await Task.Delay(_pollInterval, _timeProvider, cancellationToken);
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
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Opens the chip, or logs why it could not and returns null; <paramref name="attempt"/> counts from 1.</summary>
    protected abstract TDevice? TryOpen(int attempt);

    /// <summary>
    /// Polls once: no tag, the tag that is still <paramref name="present"/> from the last poll,
    /// or a newly placed tag read by <see cref="ReadToken"/>. A chip fault returns
    /// <see cref="NfcPoll.Fault"/> instead of throwing.
    /// </summary>
    private protected abstract NfcPoll Poll(TDevice device, byte[]? present);

    /// <summary>Reads the NDEF message of the selected NTAG21x <paramref name="card"/> and decodes its token.</summary>
    private protected NfcPoll ReadToken(TDevice device, Data106kbpsTypeA card, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(card);

        if (!Ntag21x.TryReadNdef(device, card.TargetNumber, out byte[]? message, out string? error, out bool transient))
        {
            NfcPollKind kind = transient ? NfcPollKind.ReadFailed : NfcPollKind.NoToken;
            return new NfcPoll(kind, card.NfcId, null, error, timestamp);
        }

        return _decoder.TryDecode(message, out string? token)
            ? new NfcPoll(NfcPollKind.Token, card.NfcId, token, null, timestamp)
            : new NfcPoll(NfcPollKind.NoToken, card.NfcId, null, "the NDEF message has no token record", timestamp);
    }

    /// <summary>
    /// Returns true for an exception that means the chip or its port failed. The bindings raise
    /// plain exceptions for a missing chip or a register timeout, and IOException,
    /// InvalidOperationException or UnauthorizedAccessException for a lost port.
    /// </summary>
    protected static bool IsDeviceFault(Exception exception) =>
        exception is not OperationCanceledException and not OutOfMemoryException;

    private void ReportNoToken(NfcPoll poll)
    {
        Interlocked.Increment(ref _tagsWithoutToken);
        int uidLength = poll.Uid?.Length ?? 0;
        NfcReaderLog.TagWithoutToken(Logger, Name, uidLength, poll.Reason);
        TagWithoutToken?.Invoke(this, new NfcTagEventArgs(Name, uidLength, poll.Reason ?? "unknown"));
    }

    private Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        TimeSpan delay = _backoff.DelayAfter(failures);
        NfcReaderLog.Reopening(Logger, Name, delay.TotalMilliseconds);
        return Task.Delay(delay, _timeProvider, cancellationToken);
    }
}

/// <summary>Log events of the poll loop that every NFC reader shares.</summary>
internal static partial class NfcReaderLog
{
    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "NFC reader {Reader} failed: {Error}; reopening")]
    public static partial void ReaderFault(ILogger logger, string reader, string? error);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Information,
        Message = "NFC reader {Reader} reopening in {DelayMilliseconds} ms")]
    public static partial void Reopening(ILogger logger, string reader, double delayMilliseconds);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Information,
        Message = "NFC reader {Reader} read a tag with a {UidLength}-byte UID but no token: {Reason}")]
    public static partial void TagWithoutToken(ILogger logger, string reader, int uidLength, string? reason);

    [LoggerMessage(EventId = 4116, Level = LogLevel.Debug,
        Message = "NFC reader {Reader} lost the tag mid-read ({Reason}); reading it again at the next poll")]
    public static partial void ReadRetry(ILogger logger, string reader, string? reason);
}
