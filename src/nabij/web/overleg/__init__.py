"""The overleg register: meetings with one integral agenda, agreements with a measurable
result, escalations, the integral vision; warnings and exports."""
