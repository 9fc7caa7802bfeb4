using EdgeIoT.Firmware.Messages;
using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.App
{
    /// <summary>Storing events in the flash queue and publishing them one at a time.</summary>
    public partial class TurnstileApp
    {
        private QueueRecord _inFlight;
        private int _outboxGeneration;

        /// <summary>
        /// Re-mounts the flash queue as after a watchdog reset: state is rebuilt from flash,
        /// and a publish still in flight is forgotten, so its record is sent again.
        /// </summary>
        public void RecoverAfterReset()
        {
            lock (_sync)
            {
                _queue.Mount();
                _inFlight = null;
                _outboxGeneration++;
            }

            PumpOutbox();
        }

        /// <summary>Publishes the oldest stored event when connected and nothing is in flight.</summary>
        public void PumpOutbox()
        {
            QueueRecord record;
            int generation;
            lock (_sync)
            {
                if (_inFlight != null || !_transport.IsConnected)
                {
                    return;
                }

                _deviceOfflineAdmits = 0;
                record = _queue.Peek();
                if (record == null)
                {
                    return;
                }

                _inFlight = record;
                generation = _outboxGeneration;
            }

            byte[] json = new byte[record.Payload.Length - 1];
            System.Array.Copy(record.Payload, 1, json, 0, json.Length);
            string topic = FirmwareTopics.Event(_config.Venue, _config.DeviceId, EventKindCodes.FromCode(record.Payload[0]));
            OutboxPublish publish = new OutboxPublish(this, record, generation);
            _transport.Publish(topic, json, true, publish.OnCompleted);
        }

        internal void OnPublishCompleted(QueueRecord record, int generation, bool acknowledged)
        {
            lock (_sync)
            {
                if (generation != _outboxGeneration || _inFlight != record)
                {
                    return;
                }

                _inFlight = null;
                if (acknowledged)
                {
                    _queue.Ack(record);
                }
            }

            if (acknowledged)
            {
                PumpOutbox();
            }
        }

        private void StoreEvent(FirmwareEvent record, FirmwareDecision decision)
        {
            QueueAppendResult result;
            long seq;
            lock (_sync)
            {
                record.Seq = _queue.NextSequence;
                byte[] json = EventJson.Write(record);
                byte[] payload = new byte[json.Length + 1];
                payload[0] = EventKindCodes.ToCode(record.Kind);
                System.Array.Copy(json, 0, payload, 1, json.Length);
                result = _queue.Append(payload, record.Kind == EventKindCodes.Payment, out seq);
                if (result == QueueAppendResult.Stored)
                {
                    _eventsProduced++;
                }
                else
                {
                    _eventsRefused++;
                }
            }

            if (decision != null)
            {
                decision.Seq = result == QueueAppendResult.Stored ? seq : -1;
            }

            if (result != QueueAppendResult.Stored)
            {
                RaiseNotice(
                    result == QueueAppendResult.QueueFull ? "queue_full" : "event_too_large",
                    "event " + record.Kind + " was not stored; the gate keeps deciding");
            }
        }
    }
}
