package dev.ludus.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void linearInterpolatesThenHolds() {
        Schedule s = Schedule.linear(1.0, 0.04, 8000);
        assertEquals(1.0, s.valueAt(0), 1e-12);
        assertEquals(0.52, s.valueAt(4000), 1e-12);
        assertEquals(0.04, s.valueAt(8000), 1e-12);
        assertEquals(0.04, s.valueAt(50_000), 1e-12);
        assertEquals(0.04, Schedule.linear(1, 0.04, 0).valueAt(0), 1e-12);
    }

    @Test
    void exponentialIsGeometric() {
        Schedule s = Schedule.exponential(1.0, 0.01, 100);
        assertEquals(1.0, s.valueAt(0), 1e-12);
        assertEquals(0.1, s.valueAt(50), 1e-12);
        assertEquals(0.01, s.valueAt(100), 1e-12);
        assertEquals(0.01, s.valueAt(1000), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponential(1.0, 0.0, 100));
    }
}
