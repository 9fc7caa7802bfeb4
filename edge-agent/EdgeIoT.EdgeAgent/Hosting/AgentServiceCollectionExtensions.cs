using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.Devices;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Metrics;
using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Hosting;

/// <summary>Wires the agent: options, storage, hub link, decision path, purchases and devices.</summary>
public static class AgentServiceCollectionExtensions
{
    public static IServiceCollection AddEdgeAgent(
        this IServiceCollection services, IConfiguration configuration, Action<AgentOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddAgentOptions(configuration, configure);
        services.TryAddSingleton(TimeProvider.System);
        services.AddAgentCore();
        services.AddLaneHardware();

        // Hosted services stop in reverse order: scanning first, the hub link (which flushes
        // the outbox) last.
        services.AddHostedService<HubLinkService>();
        services.AddHostedService<TelemetryService>();
        services.AddHostedService<ScanService>();
        services.AddHostedService<LaneAlarmService>();
        services.AddHostedService<AgentMetricsService>();
        services.AddHostedService<PurchaseInboxService>();
        return services;
    }

    private static void AddAgentOptions(
        this IServiceCollection services, IConfiguration configuration, Action<AgentOptions>? configure)
    {
        IConfigurationSection section = configuration.GetSection(AgentOptions.SectionName);
        services.AddOptions<AgentOptions>().Configure(options => BindSettings(section, options));
        if (configure is not null)
        {
            services.PostConfigure(configure);
        }

        services.TryAddSingleton(AgentEnrollment.Allowed);
        services.AddSingleton<IPostConfigureOptions<AgentOptions>, AgentOptionsResolver>();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
    }

    // Without ErrorOnUnknownConfiguration the binder ignores a misspelt key such as
    // Agent:Mqtt:Prot, and the default stays in effect without a word.
    private static void BindSettings(IConfigurationSection section, AgentOptions options)
    {
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception) when (exception is not AgentConfigurationException)
        {
            string? problem = SettingBindingError.Describe(
                exception.Message,
                section.AsEnumerable().Select(pair => pair.Key),
                "edge agent",
                "docs/edge-agent.md",
                typeof(AgentOptions).Assembly);
            throw new AgentConfigurationException(problem ?? $"Invalid agent setting: {exception.Message}", exception);
        }
    }

    private static void AddAgentCore(this IServiceCollection services)
    {
        services.TryAddSingleton(provider =>
        {
            AgentOptions options = Options(provider);
            return new HubClock(provider.GetRequiredService<TimeProvider>(), options.MaxClockOffset, options.TrustLocalClock);
        });
        services.TryAddSingleton(provider =>
        {
            AgentOptions options = Options(provider);
            return new EventOutbox(
                Path.Combine(options.DataDirectory, EventOutbox.FileName),
                options.DeviceId,
                options.OutboxCapacity,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<EventOutbox>>());
        });
        services.TryAddSingleton(CreateHubState);
        services.TryAddSingleton(provider => new HubConnection(
            CreateConnectionSettings(Options(provider)),
            provider.GetRequiredService<HubState>(),
            provider.GetRequiredService<HubClock>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<HubConnection>>()));
        services.TryAddSingleton(provider => new HubLinkMonitor(
            provider.GetRequiredService<HubConnection>(),
            Options(provider).Link,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<HubLinkMonitor>>()));
        services.TryAddSingleton<IOnlineCheck>(provider => provider.GetRequiredService<HubLinkMonitor>());
        services.TryAddSingleton(provider => new OutboxPublisher(
            provider.GetRequiredService<EventOutbox>(),
            provider.GetRequiredService<HubConnection>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<OutboxPublisher>>()));
        services.TryAddSingleton(provider => new PaymentDeadline(
            provider.GetRequiredService<EventOutbox>(),
            provider.GetRequiredService<HubState>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<PaymentDeadline>>()));
        services.TryAddSingleton(CreatePipeline);
        services.TryAddSingleton(CreatePurchaseTerminal);
        services.TryAddSingleton<IPurchaseTerminal>(provider => provider.GetRequiredService<PurchaseTerminal>());
    }

    private static IReceiptPrinter? LanePrinter(IReceiptPrinter printer) =>
        printer is NoReceiptPrinter ? null : printer;

    private static AgentOptions Options(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<AgentOptions>>().Value;

    private static HubState CreateHubState(IServiceProvider provider)
    {
        AgentOptions options = Options(provider);
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, options.EventId, options.ClockSkewSeconds);
        if (!string.IsNullOrEmpty(options.RotatingCodeKey))
        {
            verifier.SetRotatingCodeKey(AgentOptionsValidator.DecodeRotatingCodeKey(options.RotatingCodeKey));
        }

        var state = new HubState(
            verifier,
            AgentOptionsValidator.DecodeRootKey(options.RootPublicKey),
            NSecSignatureVerifier.Instance,
            Path.Combine(options.DataDirectory, "hub-state"),
            provider.GetRequiredService<ILogger<HubState>>());
        state.LoadPersisted();
        return state;
    }

    private static HubConnectionSettings CreateConnectionSettings(AgentOptions options) => new()
    {
        DeviceId = options.DeviceId,
        Venue = options.Venue,
        Host = options.Mqtt.Host,
        Port = options.Mqtt.Port,
        Username = options.Mqtt.Username,
        Password = options.Mqtt.Password,
        UseTls = options.Mqtt.UseTls,
        TlsCaFile = options.Mqtt.TlsCaFile,
        KeepAlive = options.Mqtt.KeepAlive,
        SessionExpiry = options.Mqtt.SessionExpiry,
        ReconnectMinDelay = options.Mqtt.ReconnectMinDelay,
        KeyResyncInterval = options.KeyResyncInterval,
        ReconnectMaxDelay = options.Mqtt.ReconnectMaxDelay,
    };

    private static DecisionPipeline CreatePipeline(IServiceProvider provider)
    {
        AgentOptions options = Options(provider);
        var settings = new DecisionPipelineSettings
        {
            DeviceId = options.DeviceId,
            Zone = options.Zone,
            OnlineCheckTimeout = options.OnlineCheckTimeout,
            DebounceWindow = options.DebounceWindow,
            PassageTimeout = options.PassageTimeout,
        };
        return new DecisionPipeline(
            settings,
            provider.GetRequiredService<HubState>(),
            provider.GetRequiredService<HubClock>(),
            provider.GetRequiredService<IOnlineCheck>(),
            provider.GetRequiredService<EventOutbox>(),
            provider.GetRequiredService<IGate>(),
            provider.GetRequiredService<ILogger<DecisionPipeline>>());
    }

    private static PurchaseTerminal CreatePurchaseTerminal(IServiceProvider provider)
    {
        AgentOptions options = Options(provider);
        var settings = new PurchaseTerminalSettings
        {
            Zone = options.Zone,
            Currency = options.Currency,
            ReceiptHeader = $"EdgeIoT {options.Venue}",
        };
        return new PurchaseTerminal(
            settings,
            provider.GetRequiredService<HubState>(),
            provider.GetRequiredService<HubClock>(),
            provider.GetRequiredService<IOnlineCheck>(),
            provider.GetRequiredService<EventOutbox>(),
            LanePrinter(provider.GetRequiredService<IReceiptPrinter>()),
            provider.GetRequiredService<ILogger<PurchaseTerminal>>(),
            provider.GetRequiredService<PaymentDeadline>());
    }
}
