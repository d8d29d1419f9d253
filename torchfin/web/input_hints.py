"""What a form field tells the browser about its input: the keyboard to offer, the widget, a length.

Hints only; the schemas decide what is valid.
"""

DECIMAL = {"inputmode": "decimal"}
NUMERIC = {"inputmode": "numeric"}
DATE = {"type": "date"}
CREDIT_CODE = {"maxlength": 18, "autocapitalize": "characters", "spellcheck": "false"}
