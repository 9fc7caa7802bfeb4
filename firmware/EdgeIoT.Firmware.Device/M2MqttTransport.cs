using System.Collections;
using System.Threading;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Provisioning;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// MQTT 5 over nanoFramework's M2Mqtt: persistent session, retained "offline" last will,
    /// and a reconnect thread with exponential back-off and jitter. PUBACKs arrive through
    /// MqttMsgPublished and are matched to the waiting handler by message id.
    /// </summary>
    public class M2MqttTransport : IMqttTransport
    {
        private const int MinBackOffMilliseconds = 200;
        private const int MaxBackOffMilliseconds = 30000;

        private readonly DeviceBundle _bundle;
        private readonly MqttClient _client;
        private readonly ArrayList _pending = new ArrayList();
        private readonly object _sync = new object();
        private readonly System.Random _random = new System.Random();
        private TurnstileApp _app;

        public M2MqttTransport(DeviceBundle bundle)
        {
            _bundle = bundle;
            _client = new MqttClient(bundle.MqttHost, bundle.MqttPort, false, null, null, MqttSslProtocols.None);
            _client.ProtocolVersion = MqttProtocolVersion.Version_5;
            _client.MqttMsgPublished += OnPublished;
            _client.MqttMsgPublishReceived += OnMessage;
        }

        public bool IsConnected
        {
            get { return _client.IsConnected; }
        }

        /// <summary>Connects the firmware and starts the reconnect thread.</summary>
        public void Start(TurnstileApp app)
        {
            _app = app;
            new Thread(ReconnectLoop).Start();
        }

        public void Publish(string topic, byte[] payload, bool atLeastOnce, PublishCompletedHandler completed)
        {
            if (!_client.IsConnected)
            {
                completed(false);
                return;
            }

            lock (_sync)
            {
                MqttQoSLevel qos = atLeastOnce ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce;
                ushort id = _client.Publish(topic, payload, null, null, qos, false);
                _pending.Add(new PendingPublish(id, completed));
            }
        }

        public void PublishStatus(byte[] payload)
        {
            if (!_client.IsConnected)
            {
                return;
            }

            _client.Publish(
                FirmwareTopics.Status(_bundle.Venue, _bundle.DeviceId), payload, null, null, MqttQoSLevel.AtLeastOnce, true);
        }

        private void ReconnectLoop()
        {
            int attempt = 0;
            while (true)
            {
                if (!_client.IsConnected && !TryConnect())
                {
                    int ceiling = MinBackOffMilliseconds << (attempt < 8 ? attempt : 8);
                    attempt++;
                    Thread.Sleep(MinBackOffMilliseconds + _random.Next(System.Math.Min(ceiling, MaxBackOffMilliseconds)));
                    continue;
                }

                attempt = 0;
                Thread.Sleep(1000);
            }
        }

        private bool TryConnect()
        {
            string statusTopic = FirmwareTopics.Status(_bundle.Venue, _bundle.DeviceId);
            MqttReasonCode result = _client.Connect(
                _bundle.DeviceId, _bundle.MqttUsername, _bundle.MqttPassword,
                true, MqttQoSLevel.AtLeastOnce, true, statusTopic, StatusJson(TurnstileApp.StateOffline), false, 15);
            if (result != MqttReasonCode.Success)
            {
                return false;
            }

            FailPending();

            // The same topics as the virtual ESP32's transport: the venue's retained lists, and
            // the hub's responses to this device's key resync requests.
            string venue = _bundle.Venue;
            string device = _bundle.DeviceId;
            _client.Subscribe(
                new string[]
                {
                    FirmwareTopics.Keys(venue), FirmwareTopics.Delegations(venue),
                    FirmwareTopics.DeviceKeys(venue, device), FirmwareTopics.DeviceDelegations(venue, device),
                    FirmwareTopics.Snapshot(venue), FirmwareTopics.Policy(venue), FirmwareTopics.Time(venue),
                },
                new MqttQoSLevel[]
                {
                    MqttQoSLevel.AtLeastOnce, MqttQoSLevel.AtLeastOnce,
                    MqttQoSLevel.AtLeastOnce, MqttQoSLevel.AtLeastOnce,
                    MqttQoSLevel.AtLeastOnce, MqttQoSLevel.AtLeastOnce, MqttQoSLevel.AtMostOnce,
                });
            _client.Publish(statusTopic, _app.BuildStatusJson(TurnstileApp.StateOnline), null, null, MqttQoSLevel.AtLeastOnce, true);
            _app.OnHubContact();
            return true;
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            PublishCompletedHandler handler = null;
            lock (_sync)
            {
                for (int i = 0; i < _pending.Count; i++)
                {
                    PendingPublish pending = (PendingPublish)_pending[i];
                    if (pending.MessageId == e.MessageId)
                    {
                        handler = pending.Completed;
                        _pending.RemoveAt(i);
                        break;
                    }
                }
            }

            if (handler != null)
            {
                handler(e.IsPublished);
            }
        }

        private void OnMessage(object sender, MqttMsgPublishEventArgs e)
        {
            _app.OnMessage(e.Topic, e.Message);
        }

        private void FailPending()
        {
            // Publishes of the previous connection never get their PUBACK; the outbox resends them.
            ArrayList failed;
            lock (_sync)
            {
                failed = (ArrayList)_pending.Clone();
                _pending.Clear();
            }

            for (int i = 0; i < failed.Count; i++)
            {
                ((PendingPublish)failed[i]).Completed(false);
            }
        }

        private string StatusJson(string state)
        {
            // M2Mqtt takes the will message as a string; the status JSON is ASCII.
            byte[] json = _app.BuildStatusJson(state);
            return new string(System.Text.Encoding.UTF8.GetChars(json));
        }

        private sealed class PendingPublish
        {
            public PendingPublish(ushort messageId, PublishCompletedHandler completed)
            {
                MessageId = messageId;
                Completed = completed;
            }

            public ushort MessageId { get; private set; }

            public PublishCompletedHandler Completed { get; private set; }
        }
    }
}
