using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Reads an edge agent's state from its loopback Prometheus endpoint
/// (<c>Agent:Metrics:Port</c>), the one an operator's dashboard scrapes: sequence, outbox
/// depth, readiness and hub link. Polls every <see cref="Interval"/> until disposed.
/// </summary>
public sealed partial class AgentMetricsPoller : IAsyncDisposable
{
    /// <summary>Time between two scrapes; the lane's view of the agent lags by up to this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = new() { Timeout = RequestTimeout };
    private readonly Uri _endpoint;
    private readonly Action<AgentMetricsSample> _onSample;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AgentMetricsPoller(int port, Action<AgentMetricsSample> onSample, ILogger logger)
    {
        _endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics");
        _onSample = onSample;
        _logger = logger;
        _loop = Task.Run(() => PollAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                string text = await _http.GetStringAsync(_endpoint, stopping);
                _onSample(AgentMetricsSample.Parse(text));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
            {
                // The agent opens its endpoint a moment after it starts; the next scrape retries.
                LogScrapeFailed(_logger, _endpoint, ex.Message);
            }

            await Task.Delay(Interval, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(EventId = 7321, Level = LogLevel.Debug, Message = "Scraping {Endpoint} failed: {Error}; retrying")]
    private static partial void LogScrapeFailed(ILogger logger, Uri endpoint, string error);
}
