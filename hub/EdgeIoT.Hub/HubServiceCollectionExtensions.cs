using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Clock;
using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Import;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Ledger;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Hub.Walkins;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeIoT.Hub;

/// <summary>Registers the hub's services; the hosted services start in the order added here.</summary>
public static class HubServiceCollectionExtensions
{
    public static IServiceCollection AddHub(this IServiceCollection services, HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        services.AddSingleton(options);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddVenueClock();
        services.AddHubStorage();
        services.AddHubMessaging();
        services.AddHubLedgerSync(options);
        services.AddHubDashboard();
        return services;
    }

    // Every hub service reads venue time. The provider registered before (a fake clock in tests
    // and the simulator, the system clock otherwise) becomes the wall clock it follows.
    private static void AddVenueClock(this IServiceCollection services)
    {
        ServiceDescriptor[] registered = services
            .Where(descriptor => descriptor.ServiceType == typeof(TimeProvider) && !descriptor.IsKeyedService)
            .ToArray();
        foreach (ServiceDescriptor descriptor in registered)
        {
            services.Remove(descriptor);
        }

        ServiceDescriptor? wallClock = registered.LastOrDefault();
        services.AddSingleton(provider => new VenueClock(
            ResolveWallClock(provider, wallClock), provider.GetRequiredService<ILogger<VenueClock>>()));
        services.AddSingleton<TimeProvider>(provider => provider.GetRequiredService<VenueClock>());
    }

    private static TimeProvider ResolveWallClock(IServiceProvider provider, ServiceDescriptor? descriptor)
    {
        if (descriptor is null)
        {
            return TimeProvider.System;
        }

        if (descriptor.ImplementationInstance is TimeProvider instance)
        {
            return instance;
        }

        return descriptor.ImplementationFactory is { } factory
            ? (TimeProvider)factory(provider)
            : (TimeProvider)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
    }

    private static void AddHubStorage(this IServiceCollection services)
    {
        services.AddSingleton<HubDatabase>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<EventWriter>();
        services.AddSingleton<ReconciliationStore>();
        services.AddSingleton<EntitlementStore>();
        services.AddSingleton<DeviceStore>();
        services.AddSingleton<SnapshotCache>();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<GuestImporter>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<DelegationDirectory>();
        services.AddSingleton<KeyResyncResponder>();
        services.AddSingleton<OtpService>();
        services.TryAddSingleton<ISmsSender, FileSmsSender>();
        services.AddHostedService<HubInitializer>();
    }

    private static void AddHubMessaging(this IServiceCollection services)
    {
        services.AddSingleton<HubPolicy>();
        services.AddSingleton<OutagePolicy>();
        services.AddSingleton<OnlineCheckService>();
        services.AddSingleton<CheckLatencyWindow>();
        services.AddSingleton<DeviceMessageHandler>();
        services.AddSingleton<ConnectionGuard>();
        services.AddSingleton<PublishRouter>();
        services.AddSingleton<ExternalBrokerClient>();
        services.AddSingleton<MosquittoAuthFiles>();
        services.AddSingleton<MosquittoAuthSync>();
        services.AddHostedService(provider => provider.GetRequiredService<MosquittoAuthSync>());
        services.AddSingleton<HubBroker>();
        services.AddHostedService(provider => provider.GetRequiredService<HubBroker>());
        services.AddSingleton<BeaconEpoch>();
        services.AddHostedService<DistributionService>();
    }

    private static void AddHubLedgerSync(this IServiceCollection services, HubOptions options)
    {
        services.AddSingleton<LedgerSyncStatus>();
        services.AddHttpClient(LedgerSyncService.HttpClientName, client =>
        {
            // The sync applies its own per-request timeout; this only guards against a stuck socket.
            client.Timeout = options.Ledger.RequestTimeout + TimeSpan.FromSeconds(5);
        });
        services.AddSingleton<LedgerSyncService>();
        services.AddHostedService(provider => provider.GetRequiredService<LedgerSyncService>());
    }
}
