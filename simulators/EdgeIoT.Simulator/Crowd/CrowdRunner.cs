using System.Diagnostics;
using System.Text.Json;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Orchestration;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Crowd;

/// <summary>
/// Plays the crowd: every visit starts at its arrival time, fetches its credential like a
/// guest's phone would, shows the QR image at its lane, and, for walk-ins and assistants,
/// buys or sells at a lane with a till. Replays and re-entries wait for the visit they
/// depend on, so their decisions repeat from run to run.
/// </summary>
public sealed class CrowdRunner(
    HubClient hub,
    IReadOnlyList<IGateLane> lanes,
    CrowdCredentials credentials,
    ILogger logger) : IDisposable
{
    private const int MaxFrames = 4;
    private const long WalkInSpendLimitMinor = 5_000;
    private const long AssistantSalesLimitMinor = 50_000;
    private static readonly TimeSpan HubRetryWindow = TimeSpan.FromSeconds(45);

    private readonly Dictionary<int, TaskCompletionSource<(string? Code, IGateLane Lane)>> _presented = [];
    private readonly SemaphoreSlim _otpFile = new(1, 1);

    public void Dispose() => _otpFile.Dispose();

    /// <summary>Runs every visit and returns the results in visit order.</summary>
    public async Task<IReadOnlyList<VisitResult>> RunAsync(
        IReadOnlyList<Visit> visits, Stopwatch clock, Action<VisitResult> onVisited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visits);
        ArgumentNullException.ThrowIfNull(clock);

        foreach (Visit visit in visits)
        {
            _presented[visit.Index] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var tasks = visits.Select(async visit =>
        {
            TimeSpan wait = visit.ArrivesAt - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            VisitResult result = await VisitAsync(visit, clock, cancellationToken);
            onVisited(result);
            return result;
        });
        return await Task.WhenAll(tasks);
    }

    private async Task<VisitResult> VisitAsync(Visit visit, Stopwatch clock, CancellationToken cancellationToken)
    {
        IGateLane lane = LaneFor(visit);
        string? code = null;
        try
        {
            (code, lane) = await CredentialAsync(visit, lane, cancellationToken);
            if (code is null)
            {
                return new VisitResult(visit, lane.DeviceId, lane.DeviceClass, null, null, clock.Elapsed, 0, null, 0, "no credential");
            }

            (LaneDecision? decision, int unreadable) = await PresentAsync(visit, lane, code, cancellationToken);
            if (decision is null)
            {
                logger.LogWarning(
                    "Visit {Visit} ({Kind}) at {Lane} got no decision after {Frames} frames",
                    visit.Index, visit.Kind, lane.DeviceId, unreadable);
            }

            _presented[visit.Index].TrySetResult((decision?.Admitted == true ? code : null, lane));
            (LaneSale? sale, long amount) = decision?.Admitted == true
                ? await SellIfShoppingAsync(visit, lane, code, cancellationToken)
                : (null, 0);
            return new VisitResult(
                visit, lane.DeviceId, lane.DeviceClass, RoleOf(code), decision, clock.Elapsed, unreadable, sale, amount, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One failed visit must not end the event; the report counts it as undecided.
            logger.LogWarning(ex, "Visit {Visit} ({Kind}) at {Lane} failed: {Error}", visit.Index, visit.Kind, lane.DeviceId, ex.Message);
            return new VisitResult(visit, lane.DeviceId, lane.DeviceClass, null, null, clock.Elapsed, 0, null, 0, ex.Message);
        }
        finally
        {
            _presented[visit.Index].TrySetResult((null, lane));
        }
    }

    /// <summary>
    /// Role claim of a code as the report names it, or null for text that is no token. The
    /// leading decode also reads credentials that carry more after the token, such as an
    /// assistant's token followed by its delegation certificate.
    /// </summary>
    private static string? RoleOf(string code)
    {
        if (QrText.TryDecode(code, out byte[] token) != RejectReason.None
            || TokenCodec.TryDecodeLeading(token, out TokenClaims claims) != RejectReason.None)
        {
            return null;
        }

        return PolicyCodes.RoleToCode(claims.Role);
    }

    private IGateLane LaneFor(Visit visit)
    {
        // Walk-ins and assistants queue at lanes with a till; everyone else at the planned lane.
        if (visit.Kind is VisitKind.WalkIn or VisitKind.CreatorAssistant)
        {
            IGateLane[] tills = lanes.Where(l => l.HasTill).ToArray();
            if (tills.Length > 0)
            {
                return tills[visit.Lane % tills.Length];
            }
        }

        return lanes[visit.Lane % lanes.Count];
    }

    private async Task<(string? Code, IGateLane Lane)> CredentialAsync(
        Visit visit, IGateLane lane, CancellationToken cancellationToken)
    {
        switch (visit.Kind)
        {
            case VisitKind.Replay:
                return await ReplayAsync(visit, cancellationToken);
            case VisitKind.ReEntry:
                // The guest comes back only after their first entry was decided.
                await _presented[visit.Earlier!.Value].Task.WaitAsync(cancellationToken);
                return (await WithHubRetryAsync(ct => hub.CheckInAsync(visit.OrderCode!, ct), cancellationToken), lane);
            case VisitKind.PreRegistered:
                return (await WithHubRetryAsync(ct => hub.CheckInAsync(visit.OrderCode!, ct), cancellationToken), lane);
            case VisitKind.WalkIn:
                return (await WalkInTokenAsync(visit, cancellationToken), lane);
            case VisitKind.CreatorAssistant:
                return (await WithHubRetryAsync(ct => AssistantTokenAsync(visit, ct), cancellationToken), lane);
            case VisitKind.Forged:
                string genuine = await WithHubRetryAsync(ct => hub.CheckInAsync(visit.OrderCode!, ct), cancellationToken);
                return (Forgery.UpgradeToStaff(genuine), lane);
            case VisitKind.Expired:
                return (credentials.ExpiredCodes.GetValueOrDefault(visit.Index), lane);
            case VisitKind.OtherEvent:
                return (Forgery.OtherEventToken(credentials.OtherEventId, (uint)(1000 + visit.Index), credentials.Now()), lane);
            default:
                return (visit.Index % 2 == 0 ? "HTTPS://EXAMPLE.TEST/TICKET" : "EI1:" + new string('A', 40), lane);
        }
    }

    /// <summary>
    /// Retries a request while the hub is unreachable (a hub power cut), as a phone app
    /// retries. Rejections by the hub itself are not retried.
    /// </summary>
    private async Task<string> WithHubRetryAsync(
        Func<CancellationToken, Task<IssuedToken>> request, CancellationToken cancellationToken) =>
        await WithHubRetryAsync(async ct => (await request(ct)).Token, cancellationToken);

    private async Task<string> WithHubRetryAsync(Func<CancellationToken, Task<string>> request, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await request(cancellationToken);
            }
            catch (Exception ex) when (IsHubUnreachable(ex, cancellationToken) && waited.Elapsed < HubRetryWindow)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    // HttpClient lets a bare SocketException (ENOTCONN) escape when a partitioned fault proxy
    // resets a connection right after accepting it, before the client reads the peer address.
    private static bool IsHubUnreachable(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or System.Net.Sockets.SocketException
        || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        || ex is HubRequestException { StatusCode: >= 500 };

    private async Task<string> AssistantTokenAsync(Visit visit, CancellationToken cancellationToken)
    {
        AssistantGrant grant = await hub.AddAssistantAsync(
            visit.OrderCode!, $"Assistant {visit.Index}", AssistantSalesLimitMinor, cancellationToken);
        return (await hub.AssistantTokenAsync(grant.AssistantEntitlementId, cancellationToken)).Token;
    }

    private async Task<string> WalkInTokenAsync(Visit visit, CancellationToken cancellationToken)
    {
        // Fictional numbers from the UK range reserved for drama (07700 900000 to 900999),
        // in the E.164 form the hub stores.
        string phone = $"+447700900{visit.Index % 1000:D3}";
        await WithHubRetryAsync(ct => RequestOneTimeCodeOnceAsync(phone, ct), cancellationToken);
        string code = await ReadOneTimeCodeAsync(phone, cancellationToken);
        string requestId = $"visit-{visit.Index}";
        return await WithHubRetryAsync(
            ct => hub.VerifyWalkInAsync(phone, code, WalkInSpendLimitMinor, requestId, ct), cancellationToken);
    }

    private async Task<string> RequestOneTimeCodeOnceAsync(string phone, CancellationToken cancellationToken)
    {
        try
        {
            await hub.RequestOneTimeCodeAsync(phone, cancellationToken);
        }
        catch (HubRequestException ex) when (ex.StatusCode == 429)
        {
            // A retry after a lost response: the hub already sent the code, and the phone has it.
        }

        return phone;
    }

    /// <summary>Reads the code the hub "texted" to the phone, from the hub's SMS outbox file.</summary>
    private async Task<string> ReadOneTimeCodeAsync(string phone, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            await _otpFile.WaitAsync(timeout.Token);
            try
            {
                if (File.Exists(credentials.SmsOutboxFile))
                {
                    string[] lines = await File.ReadAllLinesAsync(credentials.SmsOutboxFile, timeout.Token);
                    for (int i = lines.Length - 1; i >= 0; i--)
                    {
                        using JsonDocument message = JsonDocument.Parse(lines[i]);
                        if (message.RootElement.GetProperty("phone").GetString() == phone)
                        {
                            return message.RootElement.GetProperty("code").GetString()!;
                        }
                    }
                }
            }
            finally
            {
                _otpFile.Release();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    /// <summary>
    /// Takes the code of the planned earlier guest once that guest was admitted, and shows it
    /// at the lane next to the one that admitted it, as a screenshot passed back over the
    /// fence would arrive.
    /// </summary>
    private async Task<(string? Code, IGateLane Lane)> ReplayAsync(Visit visit, CancellationToken cancellationToken)
    {
        (string? code, IGateLane usedAt) = await _presented[visit.Earlier!.Value].Task.WaitAsync(cancellationToken);
        int next = (IndexOf(usedAt) + 1) % lanes.Count;
        return (code ?? "EI1:" + new string('B', 40), lanes[next]);
    }

    private int IndexOf(IGateLane lane)
    {
        for (int i = 0; i < lanes.Count; i++)
        {
            if (ReferenceEquals(lanes[i], lane))
            {
                return i;
            }
        }

        return 0;
    }

    private async Task<(LaneDecision? Decision, int Unreadable)> PresentAsync(
        Visit visit, IGateLane lane, string code, CancellationToken cancellationToken)
    {
        int unreadable = 0;
        if (visit.Habits.NfcTag && lane.HasNfcReader)
        {
            for (int attempt = 0; attempt < MaxFrames; attempt++)
            {
                LaneDecision? decision = await lane.PresentTagAsync(code, visit.Habits, cancellationToken);
                if (decision != null)
                {
                    return (decision, unreadable);
                }

                unreadable++;
            }

            return (null, unreadable);
        }

        for (int frame = 0; frame < MaxFrames; frame++)
        {
            byte[] png = QrImages.RenderPng(code);
            if (frame == 0 && credentials.IsPartialFrame(visit.Index))
            {
                png = PartialFrame.Crop(png);
            }

            LaneDecision? decision = await lane.PresentAsync(png, visit.Habits, cancellationToken);
            if (decision != null)
            {
                return (decision, unreadable);
            }

            unreadable++;
        }

        return (null, unreadable);
    }

    private async Task<(LaneSale? Sale, long Amount)> SellIfShoppingAsync(
        Visit visit, IGateLane lane, string code, CancellationToken cancellationToken)
    {
        if (visit.Kind is not (VisitKind.WalkIn or VisitKind.CreatorAssistant) || !lane.HasTill)
        {
            return (null, 0);
        }

        long amount = 500 + (visit.Index * 137 % 40) * 100;
        string item = visit.Kind == VisitKind.WalkIn ? "Market tote bag" : "Signed print";
        LaneSale sale = await lane.SellAsync(code, amount, item, cancellationToken);
        return (sale, amount);
    }
}
