using EdgeIoT.Hub;
using EdgeIoT.Hub.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The hub hosted in the simulator's process on the venue clock, so clock faults and key
/// rotation placement can read and move the hub's time.
/// </summary>
public sealed class InProcessHubHost(HubSettings settings) : IHubHost
{
    private WebApplication? _app;

    public int? ProcessId => null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WebApplication app = Build(settings);
        await app.StartAsync(cancellationToken);
        _app = app;
    }

    /// <summary>Stops the host with an already cancelled token, which skips its graceful shutdown work.</summary>
    public async Task<string?> PowerLossAsync()
    {
        if (_app is not { } app)
        {
            return null;
        }

        _app = null;
        await app.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await app.DisposeAsync();
        return null;
    }

    /// <summary>The edge key signing now and when its successor takes over.</summary>
    public DateTimeOffset CurrentKeyEnd()
    {
        WebApplication app = _app ?? throw new InvalidOperationException("The hub is powered off; start it before reading its key ring.");
        return app.Services.GetRequiredService<KeyRing>().SigningKeyAt(settings.Clock.GetUtcNow()).NotAfter;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static WebApplication Build(HubSettings settings) =>
        HubApp.Build(
            HostArguments.InProcess(),
            options =>
            {
                options.Venue = settings.Venue;
                options.DataDirectory = settings.DataDirectory;
                options.PolicyFile = settings.PolicyFile;
                options.EventEnd = settings.EventEnd;
                options.Mqtt.Port = 0;
                options.Http.Urls = "http://127.0.0.1:0";
                options.Ledger.BaseUrl = settings.LedgerUrl.ToString();
                options.Ledger.HubId = settings.Venue;
                if (settings.KeyRotationInterval is { } interval)
                {
                    options.Keys.RotationInterval = interval;
                }
            },
            settings.Clock,
            services => HostArguments.UseLoggers(services, settings.Loggers));
}
