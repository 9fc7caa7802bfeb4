using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeIoT.EdgeAgent;

/// <summary>Builds the agent host, for Program and for simulators that run agents in-process.</summary>
public static class AgentApp
{
    /// <summary>Environment variable prefix: EDGEIOT_Agent__DeviceId sets Agent:DeviceId.</summary>
    public const string EnvironmentPrefix = "EDGEIOT_";

    /// <summary>
    /// Builds the host from appsettings.json, EDGEIOT_ environment variables and
    /// <paramref name="args"/>. <paramref name="configure"/> runs after binding, and services
    /// registered by <paramref name="configureServices"/> (IScanner, IGate, IReceiptPrinter,
    /// TimeProvider, ...) replace the ones the settings would create.
    /// </summary>
    public static IHost Build(
        string[] args, Action<AgentOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(args);

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddEdgeAgent(builder.Configuration, configure);

        return builder.Build();
    }
}
