using System.Text.Json;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Walkins;

/// <summary>
/// Stands in for an SMS gateway: appends {"phone","code","timeMs"} as one JSON line to
/// Sms:OutboxFile, which the simulator reads as the guest's phone.
/// </summary>
public sealed class FileSmsSender(HubOptions options, TimeProvider time) : ISmsSender, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SendCodeAsync(string phone, string code, CancellationToken cancellationToken)
    {
        var line = new Dictionary<string, object>
        {
            ["phone"] = phone,
            ["code"] = code,
            ["timeMs"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        string json = JsonSerializer.Serialize(line) + "\n";

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string path = options.SmsOutboxPath;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.AppendAllTextAsync(path, json, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
