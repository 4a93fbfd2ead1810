using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>
/// Binds a configuration section onto an options object property by property, so that a bad
/// value is refused with the key's name and what was wrong (ConfigurationBinder throws a
/// type-conversion message instead). Unknown keys are collected as warnings: a newer
/// configuration file must still start an older server.
/// </summary>
internal static class OptionsBinder
{
    public static void Bind(IConfiguration section, object target, string path, ICollection<string> warnings, IReadOnlySet<string>? foreignKeys = null)
    {
        var properties = target.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        foreach (var child in section.GetChildren())
        {
            var key = Join(path, child.Key);
            if (foreignKeys?.Contains(child.Key) == true)
            {
                continue;
            }

            if (!properties.TryGetValue(child.Key, out var property))
            {
                warnings.Add($"{key}: unknown key, ignored");
                continue;
            }

            key = Join(path, property.Name);
            var hasChildren = child.GetChildren().Any();
            if (IsScalar(property.PropertyType))
            {
                if (hasChildren)
                {
                    throw new ConfigurationException(key, "expected a value, found a section");
                }

                var allowZero = property.GetCustomAttribute<RangeAttribute>() is { Minimum: 0 };
                property.SetValue(target, Parse(key, child.Value ?? "", property.PropertyType, allowZero));
            }
            else if (hasChildren)
            {
                var nested = property.GetValue(target) ?? Activator.CreateInstance(property.PropertyType)!;
                Bind(child, nested, key, warnings);
                property.SetValue(target, nested);
            }
            else if (!string.IsNullOrEmpty(child.Value))
            {
                throw new ConfigurationException(key, $"expected a section with keys, found the value '{child.Value}'");
            }
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan) || type == typeof(decimal);
    }

    private static object? Parse(string key, string text, Type type, bool allowZero)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (type == typeof(string))
        {
            return text;
        }

        if (underlying is not null && text.Length == 0)
        {
            return null;
        }

        type = underlying ?? type;
        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? Positive(key, text, value, value > 0 || (allowZero && value == 0), allowZero)
                : throw new ConfigurationException(key, $"'{text}' is not a whole number");
        }

        if (type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? Positive(key, text, value, value > 0 || (allowZero && value == 0), allowZero)
                : throw new ConfigurationException(key, $"'{text}' is not a whole number");
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? Positive(key, text, value, value > 0)
                : throw new ConfigurationException(key, $"'{text}' is not a number");
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value)
                ? Positive(key, text, value, value > TimeSpan.Zero)
                : throw new ConfigurationException(key, $"'{text}' is not a time span like 00:05:00 (hh:mm:ss)");
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var value)
                ? value
                : throw new ConfigurationException(key, $"'{text}' is not true or false");
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, text, ignoreCase: true, out var value) && Enum.IsDefined(type, value)
                ? value
                : throw new ConfigurationException(key, $"'{text}' is not one of {string.Join(", ", Enum.GetNames(type))}");
        }

        throw new ConfigurationException(key, $"values of type {type.Name} cannot be configured");
    }

    // Every number and duration in the limits is a size, count or timeout: zero or less is never meant,
    // unless the property says so with [Range(0, ...)] (a whole number where 0 turns a feature off).
    private static object Positive(string key, string text, object value, bool isPositive, bool allowZero = false) =>
        isPositive
            ? value
            : throw new ConfigurationException(key, allowZero ? $"'{text}' must not be negative" : $"'{text}' must be greater than zero");
}
