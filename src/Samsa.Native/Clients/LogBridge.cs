using System.Runtime.InteropServices;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>Hands one queued log line to the C log callback.</summary>
internal static unsafe class LogBridge
{
    public static void Invoke(delegate* unmanaged<int, byte*, byte*, void*, void> callback, void* opaque, in LogQueue.LogLine line)
    {
        byte* facility = Utf8.Allocate(line.Facility);
        byte* message = Utf8.Allocate(line.Message);
        try
        {
            callback(line.Level, facility, message, opaque);
        }
        finally
        {
            NativeMemory.Free(facility);
            NativeMemory.Free(message);
        }
    }
}
