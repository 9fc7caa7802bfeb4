namespace EdgeIoT.Firmware.Messages
{
    /// <summary>
    /// Writes a <see cref="FirmwareEvent"/> as the camelCase JSON of the protocol's EdgeEvent
    /// (schema 1), leaving out absent fields, so the hub reads firmware and agent events alike.
    /// </summary>
    public static class EventJson
    {
        public const int SchemaVersion = 1;

        public static byte[] Write(FirmwareEvent value)
        {
            if (value == null)
            {
                throw new System.ArgumentNullException(nameof(value));
            }

            Utf8JsonBuilder json = new Utf8JsonBuilder();
            json.WriteNumber("schema", SchemaVersion);
            json.WriteString("eventId", value.EventId);
            json.WriteString("deviceId", value.DeviceId);
            json.WriteString("deviceClass", FirmwareEvent.DeviceClassFirmware);
            json.WriteString("bootId", value.BootId);
            json.WriteNumber("seq", value.Seq);
            json.WriteString("kind", value.Kind);
            json.WriteNumber("deviceTimeMs", value.DeviceTimeMs);
            json.WriteString("outcome", value.Outcome);
            json.WriteString("reason", value.Reason);
            json.WriteString("mode", value.Mode);
            json.WriteString("policyVersion", value.PolicyVersion);
            json.WriteString("policyRule", value.PolicyRule);
            json.WriteString("policyInputs", value.PolicyInputs);
            WriteIfPresent(json, "entitlementId", value.EntitlementId);
            json.WriteString("tokenId", value.TokenId);
            json.WriteString("role", value.Role);
            WriteIfPresent(json, "delegatorId", value.DelegatorId);
            WriteIfPresent(json, "latencyMicros", value.LatencyMicros);
            WriteIfPresent(json, "amountMinor", value.AmountMinor);
            json.WriteString("currency", value.Currency);
            WriteIfPresent(json, "offerId", value.OfferId);
            if (value.HasSingleEntry)
            {
                json.WriteBoolean("singleEntry", value.SingleEntry);
            }

            json.WriteString("nonce", value.Nonce);
            json.WriteString("detail", value.Detail);
            return json.ToArray();
        }

        private static void WriteIfPresent(Utf8JsonBuilder json, string name, long value)
        {
            if (value >= 0)
            {
                json.WriteNumber(name, value);
            }
        }
    }
}
