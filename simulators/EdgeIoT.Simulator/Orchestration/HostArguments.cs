using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>Settings shared by every service the simulator hosts in its own process.</summary>
public static class HostArguments
{
    /// <summary>Command-line arguments that keep hosted services from reading the current folder's settings.</summary>
    public static string[] InProcess() => ["--environment", "Simulation"];

    /// <summary>Sends a hosted service's log to the simulation log instead of the console.</summary>
    public static void UseLoggers(IServiceCollection services, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(new ForwardingLoggerProvider(loggers));
        });
    }

    private sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
