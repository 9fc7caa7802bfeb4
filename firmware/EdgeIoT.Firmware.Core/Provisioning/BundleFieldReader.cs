using EdgeIoT.Firmware.Json;

namespace EdgeIoT.Firmware.Provisioning
{
    /// <summary>
    /// Reads checked fields of one bundle object. The first problem is kept as the error,
    /// with the field's dotted path, and later reads return defaults.
    /// </summary>
    internal sealed class BundleFieldReader
    {
        private readonly JsonValue _value;
        private readonly string _prefix;
        private readonly BundleFieldReader _root;
        private string _error;

        public BundleFieldReader(JsonValue value)
            : this(value, string.Empty, null)
        {
        }

        private BundleFieldReader(JsonValue value, string prefix, BundleFieldReader root)
        {
            _value = value;
            _prefix = prefix;
            _root = root;
        }

        public string Error
        {
            get { return _root == null ? _error : _root.Error; }
        }

        public void Fail(string message)
        {
            if (_root != null)
            {
                _root.Fail(message);
                return;
            }

            if (_error == null)
            {
                _error = message;
            }
        }

        public string RequireString(string name, int minLength, int maxLength)
        {
            JsonValue field = _value.Get(name);
            if (field == null || field.Kind != JsonKind.String)
            {
                Fail(_prefix + name + " is missing or not a string");
                return string.Empty;
            }

            if (field.StringValue.Length < minLength || field.StringValue.Length > maxLength)
            {
                Fail(_prefix + name + " must be " + minLength.ToString() + " to " + maxLength.ToString()
                    + " characters, got " + field.StringValue.Length.ToString());
            }

            return field.StringValue;
        }

        public string OptionalString(string name, int maxLength)
        {
            JsonValue field = _value.Get(name);
            if (field == null || field.Kind == JsonKind.Null)
            {
                return null;
            }

            return RequireString(name, 0, maxLength);
        }

        public long RequireInteger(string name, long min, long max)
        {
            JsonValue field = _value.Get(name);
            if (field == null || field.Kind != JsonKind.Integer)
            {
                Fail(_prefix + name + " is missing or not an integer");
                return min;
            }

            if (field.IntegerValue < min || field.IntegerValue > max)
            {
                Fail(_prefix + name + " " + field.IntegerValue.ToString() + " is out of range " + min.ToString()
                    + " to " + max.ToString());
                return min;
            }

            return field.IntegerValue;
        }

        /// <summary>Reads a device id as the hub accepts it: 1 to 64 of A-Z a-z 0-9 - _ .</summary>
        public string RequireDeviceId(string name)
        {
            string id = RequireString(name, 1, 64);
            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
                if (!allowed)
                {
                    Fail(_prefix + name + " '" + id + "' may contain only letters, digits, '-', '_' and '.'");
                    break;
                }
            }

            return id;
        }

        /// <summary>Reads a base64 key of <paramref name="length"/> bytes, or returns null when the field is absent.</summary>
        public byte[] OptionalBase64Key(string name, int length)
        {
            JsonValue field = _value.Get(name);
            if (field == null || field.Kind == JsonKind.Null)
            {
                return null;
            }

            return RequireBase64Key(name, length);
        }

        public byte[] RequireBase64Key(string name, int length)
        {
            string text = RequireString(name, 1, 256);
            if (Error != null)
            {
                return new byte[length];
            }

            byte[] key;
            try
            {
                key = System.Convert.FromBase64String(text);
            }
            catch (System.FormatException)
            {
                Fail(_prefix + name + " is not valid base64");
                return new byte[length];
            }

            if (key.Length != length)
            {
                Fail(_prefix + name + " must decode to " + length.ToString() + " bytes, got " + key.Length.ToString());
            }

            return key;
        }

        public BundleFieldReader RequireObject(string name)
        {
            JsonValue field = _value.Get(name);
            if (field == null || field.Kind != JsonKind.Object)
            {
                Fail(_prefix + name + " is missing or not an object");
                return null;
            }

            return new BundleFieldReader(field, _prefix + name + ".", _root == null ? this : _root);
        }
    }
}
