using EdgeIoT.Firmware.App;
using EdgeIoT.Protocol.Crypto;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.VirtualDevice;

public sealed partial class VirtualEsp32
{
    /// <summary>Everything that lives between power-on and power loss.</summary>
    private sealed partial class Instance : IDisposable
    {
        private const int SeenSetSectorSize = 4096;

        private readonly CancellationTokenSource _stop = new();
        private readonly FileFlashStorage _flash;
        private readonly FileFlashStorage _seenSetFlash;
        private readonly ILogger _logger;
        private readonly string _deviceId;
        private Task _ticker = Task.CompletedTask;

        private Instance(
            TurnstileApp app, MqttNetTransport transport, SimulatedGatePins pins, IDeviceClock clock, FileFlashStorage flash,
            FileFlashStorage seenSetFlash, ILogger logger, string deviceId)
        {
            _logger = logger;
            _deviceId = deviceId;
            App = app;
            Transport = transport;
            Pins = pins;
            Clock = clock;
            _flash = flash;
            _seenSetFlash = seenSetFlash;
        }

        public TurnstileApp App { get; }

        public MqttNetTransport Transport { get; }

        public SimulatedGatePins Pins { get; }

        public IDeviceClock Clock { get; }

        public static Instance Create(
            VirtualEsp32Options options,
            ILoggerFactory loggers,
            ILogger logger,
            string resetReason,
            Action<string> messageApplied,
            Action<bool> connectionChanged)
        {
            var flash = new FileFlashStorage(options.FlashFile, options.FlashSectorSize, options.FlashSectorCount);
            var seenSetFlash = new FileFlashStorage(
                options.SeenSetFlashFile ?? options.FlashFile + ".seen", SeenSetSectorSize, options.SeenSetFlashSectorCount);
            var pins = new SimulatedGatePins { AutoPassage = options.AutoPassage, HasDoorContact = options.DoorContact };
            var clock = new SystemDeviceClock(options.TimeProvider, options.ClockSkew);
            var transport = new MqttNetTransport(options, loggers.CreateLogger<MqttNetTransport>());
            var config = new TurnstileConfig
            {
                DeviceId = options.DeviceId,
                Venue = options.Venue,
                EventId = options.EventId,
                Zone = options.Zone,
                RootPublicKey = options.RootPublicKey,
                RotatingCodeKey = options.RotatingCodeKey,
                KeyResyncIntervalMilliseconds = (int)options.KeyResyncInterval.TotalMilliseconds,
                BootId = Guid.NewGuid().ToString("N")[..12],
                PulseMilliseconds = options.PulseMilliseconds,
                PassageTimeoutMilliseconds = options.PassageTimeoutMilliseconds,
                DoorHeldMilliseconds = (int)options.DoorHeldTimeout.TotalMilliseconds,
                OutboxWindow = options.OutboxWindow,
                TelemetryIntervalMilliseconds = (int)options.TelemetryInterval.TotalMilliseconds,
                ResetReason = resetReason,
            };
            var app = new TurnstileApp(config, NSecSignatureVerifier.Instance, flash, seenSetFlash, pins, transport, clock);
            transport.StatusPayloadFactory = app.BuildStatusJson;
            app.Notice += (code, detail) => LogNotice(logger, options.DeviceId, code, detail);
            transport.MessageReceived += (topic, payload) =>
            {
                if (app.OnMessage(topic, payload))
                {
                    messageApplied(topic);
                }
            };
            transport.Connected += app.OnHubContact;

            // Subscribed before the transport starts, so the first connect is not missed.
            transport.Connected += () => connectionChanged(true);
            transport.Disconnected += () => connectionChanged(false);

            var instance = new Instance(app, transport, pins, clock, flash, seenSetFlash, logger, options.DeviceId);
            transport.Start();
            instance._ticker = Task.Run(() => instance.TickAsync(options.TimeProvider));
            return instance;
        }

        public async Task StopAsync(bool abrupt)
        {
            await _stop.CancelAsync();
            await _ticker;
            if (abrupt)
            {
                await Transport.AbortAsync();
            }
            else
            {
                await Transport.DisposeAsync();
            }

            Dispose();
        }

        public void Dispose()
        {
            _flash.Dispose();
            _seenSetFlash.Dispose();
            _stop.Dispose();
        }

        private async Task TickAsync(TimeProvider time)
        {
            using var timer = new PeriodicTimer(TickInterval, time);
            int backlog = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    App.Tick();
                    backlog = TrackDrain(backlog);
                }
            }
            catch (OperationCanceledException)
            {
                // Power off.
            }
        }

        /// <summary>Logs once when a queue of several events has drained, with the publish window it used.</summary>
        private int TrackDrain(int backlog)
        {
            int depth = App.QueueDepth;
            if (depth > 0)
            {
                return Math.Max(backlog, depth);
            }

            if (backlog > 1)
            {
                LogQueueDrained(_logger, _deviceId, backlog, App.MaxInFlightSeen);
            }

            return 0;
        }

        [LoggerMessage(EventId = 7011, Level = LogLevel.Information,
            Message = "Device {DeviceId} drained {Backlog} queued events; at most {MaxInFlight} publishes were in flight since start")]
        private static partial void LogQueueDrained(ILogger logger, string deviceId, int backlog, int maxInFlight);

        [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Device {DeviceId} reported {Code}: {Detail}")]
        private static partial void LogNotice(ILogger logger, string deviceId, string code, string detail);
    }
}
