using System.Collections;

namespace EdgeIoT.Firmware.Json
{
    /// <summary>
    /// One parsed JSON value. Objects keep their members in document order as parallel lists of
    /// names and values, because nanoFramework has no dictionary type in mscorlib.
    /// </summary>
    public class JsonValue
    {
        private readonly ArrayList _names;
        private readonly ArrayList _items;

        internal JsonValue(JsonKind kind, int position)
        {
            Kind = kind;
            Position = position;
            if (kind == JsonKind.Array || kind == JsonKind.Object)
            {
                _items = new ArrayList();
            }

            if (kind == JsonKind.Object)
            {
                _names = new ArrayList();
            }
        }

        public JsonKind Kind { get; private set; }

        /// <summary>Byte offset of the value in the parsed document, for error messages.</summary>
        public int Position { get; private set; }

        public bool BooleanValue { get; internal set; }

        public long IntegerValue { get; internal set; }

        public string StringValue { get; internal set; }

        /// <summary>Number of array items or object members; 0 for scalars.</summary>
        public int Count
        {
            get { return _items == null ? 0 : _items.Count; }
        }

        public JsonValue GetItem(int index)
        {
            return (JsonValue)_items[index];
        }

        /// <summary>Returns the name of the object member at <paramref name="index"/>.</summary>
        public string GetName(int index)
        {
            return (string)_names[index];
        }

        /// <summary>Returns the member with this name, or null when the object has none.</summary>
        public JsonValue Get(string name)
        {
            if (_names == null)
            {
                return null;
            }

            for (int i = 0; i < _names.Count; i++)
            {
                if ((string)_names[i] == name)
                {
                    return (JsonValue)_items[i];
                }
            }

            return null;
        }

        internal bool HasName(string name)
        {
            return Get(name) != null;
        }

        internal void AddItem(JsonValue item)
        {
            _items.Add(item);
        }

        internal void AddMember(string name, JsonValue value)
        {
            _names.Add(name);
            _items.Add(value);
        }
    }
}
