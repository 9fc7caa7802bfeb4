namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Leading words of a <c>status</c> event's detail that raise or clear an operator alarm at
    /// the hub; the same words as EdgeIoT.Protocol.Messaging.StatusDetails, which the hub
    /// matches at the start of the detail, ignoring case.
    /// </summary>
    public static class FirmwareStatusDetails
    {
        public const string DoorForced = "door forced";
        public const string DoorHeld = "door held";

        /// <summary>Clears both door forced and door held.</summary>
        public const string DoorClosed = "door closed";

        public const string FireRelease = "fire release";
        public const string FireCleared = "fire cleared";
        public const string OutboxFull = "outbox full";
    }
}
