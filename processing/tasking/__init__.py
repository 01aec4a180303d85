"""Processing for tasking: nadir:task_acquisition and nadir:tasking_decision."""
