using System.Text.Json;
using EdgeIoT.Ledger.Api;
using EdgeIoT.Ledger.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace EdgeIoT.Ledger.Hosting;

/// <summary>
/// Migrates the store before the server accepts requests, and publishes the bound URL in
/// {dataDir}/ledger.endpoints.json once it does.
/// </summary>
internal sealed class LedgerStartup(
    ILedgerStore store,
    IServer server,
    IOptions<LedgerOptions> options,
    ILogger<LedgerStartup> logger) : IHostedLifecycleService
{
    public const string EndpointsFileName = "ledger.endpoints.json";

    public Task StartingAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        string url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Value.Urls;
        string path = Path.Combine(options.Value.ResolveDataDirectory(), EndpointsFileName);
        try
        {
            await WriteAtomicallyAsync(path, JsonSerializer.SerializeToUtf8Bytes(new EndpointsFile(url), LedgerJson.Default.EndpointsFile), cancellationToken);
        }
        catch (IOException ex)
        {
            LedgerLog.EndpointsFileFailed(logger, ex, path);
        }
        catch (UnauthorizedAccessException ex)
        {
            LedgerLog.EndpointsFileFailed(logger, ex, path);
        }

        LedgerLog.Started(logger, store.Name, url);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Readers never see a half-written file, because the content goes to a temporary file in
    // the same folder and the rename replaces the old file in one step.
    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
