using Microsoft.Extensions.Logging;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// Ties the device's life to the process that started it. That process keeps the write end
/// of the device's standard input open. It closes it to stop the device, and the operating
/// system closes it when that process ends, even by SIGKILL.
/// </summary>
internal static partial class Supervision
{
    public static async Task StopWhenInputClosesAsync(CancellationTokenSource stop, ILogger logger)
    {
        using Stream input = Console.OpenStandardInput();
        byte[] buffer = new byte[256];
        try
        {
            while (await input.ReadAsync(buffer, stop.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        LogInputClosed(logger);
        await stop.CancelAsync();
    }

    [LoggerMessage(EventId = 7204, Level = LogLevel.Information,
        Message = "Standard input closed, so the device stops: its supervising process stopped it or has ended")]
    private static partial void LogInputClosed(ILogger logger);
}
