from .campaign import Campaign, Content, Criterion, Period, Task, Title

__all__ = ["Campaign", "Content", "Criterion", "Period", "Task", "Title"]
