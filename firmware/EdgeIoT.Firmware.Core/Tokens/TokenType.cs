namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>Kind of credential a token carries.</summary>
    public enum TokenType : byte
    {
        Session = 1,
        Delegated = 2,

        /// <summary>
        /// Event-long pass for a phone, signed by the event key and shown only with a
        /// rotating code appended (<see cref="RotatingCode"/>).
        /// </summary>
        Pass = 3,

        /// <summary>
        /// Event-long credential on an NFC wristband, signed by the event key together with
        /// the chip UID it was written to (<see cref="WristbandCredential"/>).
        /// </summary>
        Wristband = 4,
    }
}
