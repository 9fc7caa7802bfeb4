using System.CommandLine;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging;

var root = new RootCommand("Virtual ESP32 turnstile controller running the EdgeIoT firmware core.")
{
    CommandLineOptions.Bundle, CommandLineOptions.HubEndpoints, CommandLineOptions.EnrollUrl, CommandLineOptions.DeviceId,
    CommandLineOptions.Zone, CommandLineOptions.Venue, CommandLineOptions.EventId, CommandLineOptions.MqttHost,
    CommandLineOptions.MqttPort, CommandLineOptions.MqttTlsCa, CommandLineOptions.Username, CommandLineOptions.Password, CommandLineOptions.RootPublicKey,
    CommandLineOptions.FlashFile, CommandLineOptions.ClockSkew, CommandLineOptions.ScanPort, CommandLineOptions.Inbox,
    CommandLineOptions.StatusInterval, CommandLineOptions.PulseMilliseconds, CommandLineOptions.FlashSectors,
    CommandLineOptions.Supervised, CommandLineOptions.OutboxWindow,
};

root.SetAction(async (parseResult, cancellationToken) =>
{
    using ILoggerFactory loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true));
    ILogger logger = loggers.CreateLogger("EdgeIoT.VirtualDevice");
    if (await DeviceArguments.FirstInvalidAsync(parseResult, Console.Error))
    {
        return 2;
    }

    VirtualEsp32Options? options = parseResult.GetValue(CommandLineOptions.Bundle) is FileInfo bundle
        ? await DeviceOptions.FromBundleAsync(bundle, parseResult, Console.Error, cancellationToken)
        : await DeviceOptions.FromArgumentsAsync(parseResult, Console.Error, cancellationToken);
    if (options is null)
    {
        return 2;
    }

    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    if (parseResult.GetValue(CommandLineOptions.Supervised))
    {
        _ = Supervision.StopWhenInputClosesAsync(stop, logger);
    }

    await using VirtualEsp32 device = await VirtualEsp32.StartAsync(options, loggers, cancellationToken);
    int statusMilliseconds = parseResult.GetValue(CommandLineOptions.StatusInterval);
    await using var scanner = new ScanLineListener(
        parseResult.GetValue(CommandLineOptions.ScanPort), parseResult.GetValue(CommandLineOptions.Inbox)?.FullName,
        line => ScanFeedbackLine.ForDecision(device.DecideScanLine(line)), logger)
    {
        Status = statusMilliseconds > 0 ? () => ScanFeedbackLine.ForStatus(device) : null,
        StatusInterval = TimeSpan.FromMilliseconds(Math.Max(statusMilliseconds, 1)),
    };
    scanner.Start();
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        logger.LogInformation("Device {DeviceId} stopping with {QueueDepth} queued events", options.DeviceId, device.QueueDepth);
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
