using EdgeIoT.Ledger.Api;
using EdgeIoT.Ledger.Hosting;
using EdgeIoT.Ledger.Storage;
using EdgeIoT.Protocol.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EdgeIoT.Ledger;

/// <summary>Builds the ledger web application, for its own process and for in-process hosts such as the simulator.</summary>
public static class LedgerApp
{
    /// <summary>
    /// Builds the ledger from configuration ("Ledger" section), then applies
    /// <paramref name="configure"/>. After <c>StartAsync</c>, <c>app.Urls</c> contains the bound URL.
    /// Throws <see cref="LedgerConfigurationException"/> when a setting is invalid.
    /// </summary>
    public static WebApplication Build(string[] args, Action<LedgerOptions>? configure = null) =>
        Build(args, configure, configureBuilder: null);

    /// <summary>
    /// Builds the ledger and lets in-process hosts (tests, the simulator) add services, such as
    /// a logger provider, before the build.
    /// </summary>
    public static WebApplication Build(
        string[] args,
        Action<LedgerOptions>? configure,
        Action<WebApplicationBuilder>? configureBuilder)
    {
        ArgumentNullException.ThrowIfNull(args);

        var builder = WebApplication.CreateBuilder(args);
        var options = new LedgerOptions();
        BindSettings(builder.Configuration.GetSection(LedgerOptions.SectionName), options);
        configure?.Invoke(options);
        options.Validate();

        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(sp => CreateStore(options, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService<LedgerStartup>();
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.MapLedgerApi();
        return app;
    }

    // Without ErrorOnUnknownConfiguration the binder ignores a misspelt key such as
    // Ledger:MaxBatchEvent, and the default stays in effect without a word.
    private static void BindSettings(IConfigurationSection section, LedgerOptions options)
    {
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            string? problem = SettingBindingError.Describe(
                exception.Message,
                section.AsEnumerable().Select(pair => pair.Key),
                "ledger",
                "docs/ledger.md",
                typeof(LedgerOptions).Assembly);
            throw new LedgerConfigurationException(problem ?? $"Invalid ledger setting: {exception.Message}", exception);
        }
    }

    private static ILedgerStore CreateStore(LedgerOptions options, ILoggerFactory loggerFactory) =>
        options.Store == LedgerOptions.PostgresStore
            ? new PostgresLedgerStore(options.Postgres.ConnectionString!, loggerFactory.CreateLogger<PostgresLedgerStore>())
            : new SqliteLedgerStore(options.Sqlite.Path, loggerFactory.CreateLogger<SqliteLedgerStore>());
}
