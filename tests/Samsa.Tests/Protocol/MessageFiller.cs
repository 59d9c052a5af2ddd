using System.Collections;
using System.Reflection;
using Samsa.Protocol;

namespace Samsa.Tests.Protocol;

/// <summary>Fills generated messages with pseudo-random values through reflection, for round-trip tests.</summary>
internal sealed class MessageFiller(int seed)
{
    private readonly Random _random = new(seed);

    public object Create(Type type, int depth = 0)
    {
        object instance = Activator.CreateInstance(type)!;
        foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!p.CanWrite)
            {
                continue;
            }

            if (p.Name == "UnknownTaggedFields")
            {
                if (_random.Next(4) == 0)
                {
                    p.SetValue(instance, new List<RawTaggedField> { new(10_000 + _random.Next(100), RandomBytes(3)) });
                }

                continue;
            }

            p.SetValue(instance, Value(p.PropertyType, depth));
        }

        return instance;
    }

    private object? Value(Type t, int depth)
    {
        Type? underlying = Nullable.GetUnderlyingType(t);
        if (underlying is not null)
        {
            return Value(underlying, depth);
        }

        if (t == typeof(bool)) return _random.Next(2) == 1;
        if (t == typeof(sbyte)) return (sbyte)_random.Next(sbyte.MinValue, sbyte.MaxValue);
        if (t == typeof(short)) return (short)_random.Next(short.MinValue, short.MaxValue);
        if (t == typeof(ushort)) return (ushort)_random.Next(0, ushort.MaxValue);
        if (t == typeof(int)) return _random.Next(int.MinValue, int.MaxValue);
        if (t == typeof(uint)) return (uint)_random.NextInt64(0, uint.MaxValue);
        if (t == typeof(long)) return _random.NextInt64(long.MinValue, long.MaxValue);
        if (t == typeof(double)) return _random.NextDouble() * 1000;
        if (t == typeof(Guid)) return new Guid(RandomBytes(16));
        if (t == typeof(string)) return RandomString();
        if (t == typeof(byte[])) return RandomBytes(_random.Next(0, 20));
        if (t == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>(RandomBytes(_random.Next(0, 40)));
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(t)!;
            int count = depth > 3 ? 0 : _random.Next(0, 3);
            for (int i = 0; i < count; i++)
            {
                list.Add(Value(t.GetGenericArguments()[0], depth + 1));
            }

            return list;
        }

        if (t.IsClass)
        {
            return Create(t, depth + 1);
        }

        throw new NotSupportedException($"No filler for {t}.");
    }

    private byte[] RandomBytes(int n)
    {
        byte[] b = new byte[n];
        _random.NextBytes(b);
        return b;
    }

    private string RandomString()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz-_.0123456789ÄöΩ€";
        int n = _random.Next(0, 12);
        var chars = new char[n];
        for (int i = 0; i < n; i++)
        {
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
