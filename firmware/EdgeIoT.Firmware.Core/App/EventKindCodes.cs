namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Event kinds and the one-byte code stored before each event in the flash queue, so the
    /// outbox can pick the topic without parsing the JSON again.
    /// </summary>
    public static class EventKindCodes
    {
        public const string Decision = "decision";
        public const string Payment = "payment";
        public const string Entitlement = "entitlement";
        public const string Status = "status";

        public static byte ToCode(string kind)
        {
            if (kind == Decision)
            {
                return 1;
            }

            if (kind == Payment)
            {
                return 2;
            }

            return kind == Entitlement ? (byte)3 : (byte)4;
        }

        public static string FromCode(byte code)
        {
            switch (code)
            {
                case 1: return Decision;
                case 2: return Payment;
                case 3: return Entitlement;
                default: return Status;
            }
        }
    }
}
