using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EdgeIoT.Hub;

/// <summary>
/// Entry point of the hub, for its own process (Program.cs) and for hosts that run it in-process
/// such as the simulator and the tests.
/// </summary>
public static class HubApp
{
    private static readonly TimeSpan DefaultEventLength = TimeSpan.FromHours(12);

    /// <summary>
    /// Builds the hub without starting it. Options come from the "Hub" section of appsettings.json,
    /// environment variables (Hub__Mqtt__Port) and <paramref name="args"/> (--Hub:Mqtt:Port=0);
    /// <paramref name="configure"/> runs last and can override any of them in code.
    /// Pass <paramref name="time"/> to run the hub on a fake clock, and
    /// <paramref name="configureServices"/> to replace services such as <c>ISmsSender</c> or add loggers.
    /// </summary>
    public static WebApplication Build(
        string[] args,
        Action<HubOptions>? configure = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        HubOptions options = BindOptions(builder.Configuration, configure);
        if (AddSettingsFile(builder.Configuration, options.DataDirectory))
        {
            options = BindOptions(builder.Configuration, configure);
        }

        options.EventEnd ??= (time ?? TimeProvider.System).GetUtcNow() + DefaultEventLength;
        options.Validate();
        HubSettingsBinder.RequireUsableDataDirectory(options);
        (OperatorToken operatorToken, bool tokenCreated) = OperatorToken.LoadOrCreate(options.DataDirectory);
        KeyEncryption keyEncryption = KeyEncryption.FromOptions(options.Keys, builder.Configuration);

        builder.WebHost.UseUrls(options.Http.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        configureServices?.Invoke(builder.Services);
        builder.Services.AddHub(options);
        builder.Services.AddOperatorAuthentication(operatorToken);
        builder.Services.AddSingleton(keyEncryption);
        builder.Services.AddProblemDetails();
        builder.Services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);

        WebApplication app = builder.Build();
        app.UseBadRequestProblems();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapLoginEndpoints();
        app.MapStatusEndpoints();
        app.MapDeviceEndpoints();
        app.MapTicketEndpoints();
        app.MapWalkinEndpoints();
        app.MapCreatorEndpoints();
        app.MapAuditEndpoints();
        app.MapDashboardEndpoints();
        app.MapKeyEndpoints();
        app.MapSnapshotEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => WriteEndpointsFile(app, options));
        if (tokenCreated)
        {
            app.Logger.LogInformation("Created the operator token in {TokenFile}", OperatorToken.PathIn(options.DataDirectory));
        }

        return app;
    }

    /// <summary>Returns where a started hub listens.</summary>
    public static HubEndpoints GetEndpoints(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);

        HubOptions options = services.GetRequiredService<HubOptions>();
        IServerAddressesFeature? addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        string httpUrl = addresses?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The HTTP server reports no address; start the hub first.");
        return new HubEndpoints
        {
            MqttPort = services.GetRequiredService<HubBroker>().Port,
            MqttTlsPort = services.GetRequiredService<HubBroker>().TlsPort,
            HttpUrl = httpUrl.TrimEnd('/'),
            Venue = options.Venue,
            EventId = options.EventId,
            RootPublicKey = Convert.ToBase64String(services.GetRequiredService<KeyRing>().RootPublicKey),
        };
    }

    private static HubOptions BindOptions(ConfigurationManager configuration, Action<HubOptions>? configure)
    {
        HubOptions options = HubSettingsBinder.Bind(configuration.GetSection(HubOptions.SectionName));
        configure?.Invoke(options);
        return options;
    }

    // The settings that 'init' wrote into the data directory rank above appsettings.json and
    // below environment variables and arguments, so a one-off --Hub:Key=value still wins.
    private static bool AddSettingsFile(ConfigurationManager configuration, string dataDirectory)
    {
        string path = Path.GetFullPath(Path.Combine(dataDirectory, HubOptions.SettingsFileName));
        if (!File.Exists(path))
        {
            return false;
        }

        IList<IConfigurationSource> sources = ((IConfigurationBuilder)configuration).Sources;
        int lastJson = -1;
        for (int i = 0; i < sources.Count; i++)
        {
            lastJson = sources[i] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource ? i : lastJson;
        }

        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = HubOptions.SettingsFileName,
            Optional = false,
            ReloadOnChange = false,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(path)!),
        };
        try
        {
            // The configuration manager loads a source as soon as it is inserted.
            sources.Insert(lastJson + 1, source);
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException)
        {
            throw new HubSettingsException($"Settings file '{path}' is not valid JSON: {exception.InnerException?.Message ?? exception.Message}", exception);
        }

        return true;
    }

    private static void WriteEndpointsFile(WebApplication app, HubOptions options)
    {
        HubEndpoints endpoints = GetEndpoints(app.Services);
        endpoints.Write(options.DataDirectory);
        app.Logger.LogInformation(
            "Hub ready: HTTP {HttpUrl}, MQTT port {MqttPort}; endpoints written to {EndpointsFile}",
            endpoints.HttpUrl, endpoints.MqttPort, options.EndpointsFilePath);
    }
}
