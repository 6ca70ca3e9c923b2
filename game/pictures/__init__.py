"""Card pictures: found by word in the picture library, drawn from emoji, prepared and served."""
