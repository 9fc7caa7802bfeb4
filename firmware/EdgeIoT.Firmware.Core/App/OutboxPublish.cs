using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.App
{
    /// <summary>One publish in flight; its handler routes the PUBACK back to the record it belongs to.</summary>
    internal sealed class OutboxPublish
    {
        private readonly TurnstileApp _app;
        private readonly QueueRecord _record;
        private readonly int _generation;

        public OutboxPublish(TurnstileApp app, QueueRecord record, int generation)
        {
            _app = app;
            _record = record;
            _generation = generation;
        }

        public void OnCompleted(bool acknowledged)
        {
            _app.OnPublishCompleted(_record, _generation, acknowledged);
        }
    }
}
